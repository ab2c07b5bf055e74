import type { DynamicModule } from '@nestjs/common';
import { AlertsModule } from './alerts/alerts.module';
import { SupportRequestsModule } from './support-requests/support-requests.module';
import { OperationsModule } from './operations/operations.controller';
import { DeconflictionModule } from './deconfliction/deconfliction.controller';
import { StaffModule } from './staff/staff.module';
import { ConsoleModule } from './console/console.controller';
import { IntelModule } from './intel/intel.controller';
import { ContactsModule } from './contacts/contacts.controller';
import { TaxiiModule } from './taxii/taxii.controller';
import { TrendsModule } from './trends/trends.controller';
import { WorkingGroupsModule } from './working-groups/working-groups.controller';
import { PartnerGrantsModule } from './partner-grants/partner-grants.controller';

// Feature modules mounted under /api/v1, one folder each.
export const FEATURE_MODULES: Array<DynamicModule | (new () => unknown)> = [
  AlertsModule,
  SupportRequestsModule,
  DeconflictionModule,
  OperationsModule,
  StaffModule,
  IntelModule,
  ContactsModule,
  TaxiiModule,
  ConsoleModule.forRoot(),
  TrendsModule,
  WorkingGroupsModule,
  PartnerGrantsModule,
];
