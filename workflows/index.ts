// Every workflow type the worker registers.
export { supportRequestWorkflow } from './support-request/support-request.workflow';
export { operationWorkflow } from './operation/operation.workflow';
export { operationCountryWorkflow } from './operation/operation-country.workflow';
export { disseminationWorkflow } from './dissemination/dissemination.workflow';
export { disseminationRecipientWorkflow } from './dissemination/dissemination-recipient.workflow';
export { workingGroupWorkflow } from './working-group/working-group.workflow';
export { partnerGrantWorkflow } from './partner-grant/partner-grant.workflow';
export { actionItemWorkflow } from './working-group/action-item.workflow';
