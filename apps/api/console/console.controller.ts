import fs from 'node:fs';
import path from 'node:path';
import { Controller, DynamicModule, Get, Inject, Module, NotFoundException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ServeStaticModule } from '@nestjs/serve-static';
import { ROLES, REGIONS } from '../../../workflows/common/domain';
import { Public } from '../auth/auth.guard';
import { devPrincipals, mintToken, tokenClaimsFor } from '../auth/tokens';
import { APP_CONFIG } from '../infra/config.module';
import type { AppConfig } from '../../config/config';

/** Where `npm run build` puts the console (Vite output), from sources or from dist/. */
export const CONSOLE_DIST = path.resolve(__dirname, '..', '..', '..', ...(path.basename(path.resolve(__dirname, '..', '..', '..')) === 'dist' ? ['console'] : ['dist', 'console']));

/** Every GET path except the API, its docs, health and TAXII, which keep their own 404s. */
export const CONSOLE_ROUTES = /^\/(?!(?:api|docs|health|taxii2)(?:\/|$))/;

class OidcSettingsDto {
  @ApiProperty({ example: 'https://idp.example.org/realms/cyberops' }) issuer!: string;
  @ApiProperty({ example: 'cyberops-console' }) clientId!: string;
  @ApiProperty({ example: 'openid profile' }) scope!: string;
}

class ConsoleSettingsDto {
  @ApiProperty({ description: 'the dev stack offers "sign in as" demo personas' }) devPersonas!: boolean;
  @ApiPropertyOptional({ type: OidcSettingsDto, nullable: true, description: 'sign-in through the identity provider (code + PKCE)' })
  oidc!: OidcSettingsDto | null;
}

class PersonaDto {
  @ApiProperty({ example: 'officer.ph@nrp.ph' }) sub!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiPropertyOptional({ example: 'PH' }) country?: string;
  @ApiPropertyOptional({ enum: REGIONS }) region?: string;
  @ApiProperty({ description: 'a 12-hour HS256 token for this persona' }) token!: string;
}

class PersonaListDto {
  @ApiProperty({ type: [PersonaDto] }) items!: PersonaDto[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor!: null;
}

/** What the browser console needs before anyone signs in. */
@ApiTags('console')
@Public()
@Controller('console')
export class ConsoleController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private get personasEnabled(): boolean {
    // HS256 demo tokens are useless when the API verifies RS256 from an identity provider.
    return this.config.CONSOLE_DEV_PERSONAS && !this.config.JWT_JWKS_URL;
  }

  @Get('settings')
  @ApiOkResponse({ type: ConsoleSettingsDto })
  settings(): ConsoleSettingsDto {
    const { OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: clientId, OIDC_SCOPE: scope } = this.config;
    return { devPersonas: this.personasEnabled, oidc: issuer ? { issuer, clientId, scope } : null };
  }

  /** Only in the dev stack (`npm start` sets CONSOLE_DEV_PERSONAS); 404 everywhere else. */
  @Get('dev-personas')
  @ApiOkResponse({ type: PersonaListDto })
  @ApiNotFoundResponse({ description: 'not the dev stack' })
  async personas(): Promise<PersonaListDto> {
    if (!this.personasEnabled) throw new NotFoundException('demo personas exist only in the dev stack');
    const items = await Promise.all(devPrincipals().map(async (p) => ({ ...p, token: await mintToken(p, this.config.JWT_SECRET, tokenClaimsFor(this.config)) })));
    return { items, nextCursor: null };
  }
}

@Module({})
export class ConsoleModule {
  /** The settings endpoints, plus the built single-page app at `/` when `npm run build` produced it. */
  static forRoot(): DynamicModule {
    const built = fs.existsSync(path.join(CONSOLE_DIST, 'index.html'));
    return {
      module: ConsoleModule,
      controllers: [ConsoleController],
      imports: built
        ? [
            ServeStaticModule.forRoot({
              rootPath: CONSOLE_DIST,
              // index.html for the app's own paths only. Not `exclude`: serve-static turns any
              // error on an excluded path into a 404, so a malformed JSON body would stop being 400.
              renderPath: CONSOLE_ROUTES,
              serveStaticOptions: { index: 'index.html', fallthrough: true, maxAge: '1h', setHeaders: noCacheForIndex },
            }),
          ]
        : [],
    };
  }
}

/** Hashed assets may be cached; index.html must not be, so a new build is picked up at once. */
function noCacheForIndex(res: { setHeader(name: string, value: string): void }, file: string): void {
  if (file.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache');
}
