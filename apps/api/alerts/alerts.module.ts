import { Module } from '@nestjs/common';
import { AuditService } from '../infra/audit.service';
import { AlertStreamService } from './alert-stream.service';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

@Module({ controllers: [AlertsController], providers: [AlertsService, AlertStreamService, AuditService] })
export class AlertsModule {}
