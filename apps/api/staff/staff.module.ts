import { Module } from '@nestjs/common';
import { AuditService } from '../infra/audit.service';
import { StaffController } from './staff.controller';
import { StaffService } from './staff.service';

@Module({ controllers: [StaffController], providers: [StaffService, AuditService], exports: [StaffService] })
export class StaffModule {}
