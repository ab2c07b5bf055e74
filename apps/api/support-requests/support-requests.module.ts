import { Module } from '@nestjs/common';
import { StaffModule } from '../staff/staff.module';
import { SupportRequestsController } from './support-requests.controller';
import { SupportRequestsService } from './support-requests.service';

@Module({ imports: [StaffModule], controllers: [SupportRequestsController], providers: [SupportRequestsService], exports: [SupportRequestsService] })
export class SupportRequestsModule {}
