// Every workflow type the worker registers.
export { supportRequestWorkflow } from './support-request/support-request.workflow';
