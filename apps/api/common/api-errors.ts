import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

// The shared error body in OpenAPI, and one decorator to list a route's error answers with it.

export class FieldProblemDto {
  @ApiProperty({ example: 'indicators.0.value' }) field!: string;
  @ApiProperty({ example: 'value is not a valid ipv4' }) problem!: string;
}

export class ErrorBodyDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'invalid indicators.0.value' }) message!: string;
  @ApiProperty({ type: [FieldProblemDto] }) details!: FieldProblemDto[];
}

const MEANING: Record<number, string> = {
  400: 'invalid input; details name each wrong field',
  401: 'no or bad bearer token',
  403: 'the role may not do this',
  404: 'not found, or not visible to the caller',
  409: 'refused in the current state (duplicate, already answered, recalled)',
  410: 'recalled: no longer served to its recipients',
  422: 'well-formed but against the TLP rules',
  503: 'a dependency (database, Temporal) is down; retry after Retry-After',
};

export function ApiErrors(...codes: Array<keyof typeof MEANING | number>) {
  return applyDecorators(...codes.map((status) => ApiResponse({ status, description: MEANING[status] ?? 'error', type: ErrorBodyDto })));
}
