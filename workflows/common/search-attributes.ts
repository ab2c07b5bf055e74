import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes, registered on the server by the worker at start-up
// (and by docker-compose's one-shot), used to list workflows by business facets.
export const SA_COUNTRY = defineSearchAttributeKey('CyberCountry', SearchAttributeType.KEYWORD);
export const SA_REGION = defineSearchAttributeKey('CyberRegion', SearchAttributeType.KEYWORD);
export const SA_STATUS = defineSearchAttributeKey('CyberStatus', SearchAttributeType.KEYWORD);
export const SA_PRIORITY = defineSearchAttributeKey('CyberPriority', SearchAttributeType.KEYWORD);
export const SA_CATEGORY = defineSearchAttributeKey('CyberCategory', SearchAttributeType.KEYWORD);
export const SA_OPERATION = defineSearchAttributeKey('CyberOperation', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [SA_COUNTRY, SA_REGION, SA_STATUS, SA_PRIORITY, SA_CATEGORY, SA_OPERATION];
