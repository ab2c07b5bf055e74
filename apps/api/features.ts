// Feature modules mounted under /api/v1, one folder each.
import type { DynamicModule } from "@nestjs/common";

export const FEATURE_MODULES: Array<DynamicModule | (new () => unknown)> = [];
