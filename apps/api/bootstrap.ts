import 'reflect-metadata';
import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/config';
import { AppModule } from './app.module';
import { jsonBodyParsing } from './common/body';
import { buildOpenApiDocument, methodNotAllowed } from './common/openapi';
import { createValidationPipe } from './common/validation';
import { FEATURE_MODULES } from './features';

export const API_PREFIX = 'api/v1';

/** Builds the API exactly as production runs it; tests call this too and listen on port 0. */
export async function createApiApp(config: AppConfig, options: { logStream?: DestinationStream } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config, FEATURE_MODULES, options), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.use(helmet({ contentSecurityPolicy: false }));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      // TAXII 2.1 has its own root, as TAXII clients expect it.
      { path: 'taxii2', method: RequestMethod.GET },
      { path: 'taxii2/{*path}', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
  // Before the routes: an undeclared method is 405, then only bounded UTF-8 JSON reaches a handler.
  app.use(methodNotAllowed(document));
  app.use(...jsonBodyParsing());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/** The OpenAPI document served at /docs/openapi.json; also dumped at build time for the console's types. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return buildOpenApiDocument(app);
}
