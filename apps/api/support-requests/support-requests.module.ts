import { Module } from '@nestjs/common';
import { StaffModule } from '../staff/staff.module';
import { SupportRequestsController } from './support-requests.controller';
import { SupportRequestsService } from './support-requests.service';
import { WorkflowUpdates } from '../infra/workflow-updates';

@Module({ imports: [StaffModule], controllers: [SupportRequestsController], providers: [SupportRequestsService, WorkflowUpdates], exports: [SupportRequestsService] })
export class SupportRequestsModule {}
