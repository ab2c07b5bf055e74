import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createRemoteJWKSet, jwtVerify, JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { PARTNER_ORG, REGIONS, ROLES, Role } from '../../../workflows/common/domain';
import { APP_CONFIG } from '../infra/config.module';
import type { AppConfig } from '../../config/config';
import type { Principal } from './principal';

const PUBLIC_KEY = 'auth:public';
const ROLES_KEY = 'auth:roles';

/** No token needed (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Roles allowed on a route; others get 403. Routes without it accept every authenticated role. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verifyKey: Uint8Array | JWTVerifyGetKey;
  private readonly verifyOptions: JWTVerifyOptions;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.verifyKey = config.JWT_JWKS_URL ? createRemoteJWKSet(new URL(config.JWT_JWKS_URL)) : new TextEncoder().encode(config.JWT_SECRET);
    // A token without `exp` would be valid forever; `iss`/`aud` are checked when configured.
    this.verifyOptions = {
      algorithms: config.JWT_JWKS_URL ? ['RS256'] : ['HS256'],
      requiredClaims: ['exp'],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<StreamableRequest>();
    request.principal = await this.authenticate(request.headers.authorization ?? streamQueryToken(request));
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    // Partners see nothing by default: only routes that name the role let them through.
    if (request.principal.role === 'partner' && !allowed?.includes('partner')) {
      throw new ForbiddenException('partners see only what a grant gives them');
    }
    if (allowed && !allowed.includes(request.principal.role)) {
      throw new ForbiddenException(`role ${request.principal.role} may not do this`);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedException('a bearer token is required');
    let payload: JWTPayload;
    try {
      const verified =
        this.verifyKey instanceof Uint8Array
          ? await jwtVerify(match[1], this.verifyKey, this.verifyOptions)
          : await jwtVerify(match[1], this.verifyKey, this.verifyOptions);
      payload = verified.payload;
    } catch (error) {
      throw new UnauthorizedException(rejection(error));
    }
    return toPrincipal(payload);
  }
}

/** Why a token was refused, without echoing any of it. */
function rejection(error: unknown): string {
  const { code, claim, reason } = error as { code?: string; claim?: string; reason?: string };
  if (code === 'ERR_JWT_EXPIRED') return 'token expired';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim) {
    return reason === 'missing' ? `token has no ${claim} claim` : `token ${claim} claim is not accepted`;
  }
  return 'invalid token';
}

interface StreamableRequest {
  headers: Record<string, string | undefined>;
  path?: string;
  query?: Record<string, unknown>;
  principal?: Principal;
}

/**
 * EventSource cannot send headers, so the alert stream alone (and only without an Authorization
 * header) also takes the token from `?access_token=`.
 */
function streamQueryToken(request: StreamableRequest): string | undefined {
  if (!/\/alerts\/stream\/?$/.test(request.path ?? '')) return undefined;
  const token = request.query?.access_token;
  return typeof token === 'string' ? `Bearer ${token}` : undefined;
}

function toPrincipal(payload: JWTPayload): Principal {
  const role = payload.role as Role;
  if (!payload.sub || !ROLES.includes(role)) throw new UnauthorizedException('token lacks a valid sub or role');
  if (role === 'partner') {
    // A partner is never scoped by country or region claims, only by its organisation's grants.
    const org = typeof payload.org === 'string' ? payload.org.toLowerCase() : undefined;
    if (!org || !PARTNER_ORG.test(org)) throw new UnauthorizedException('partner tokens need an org claim');
    return { sub: payload.sub, role, org, expiresAt: (payload.exp as number) * 1000 };
  }
  const country = typeof payload.country === 'string' ? payload.country.toUpperCase() : undefined;
  if (role === 'member' && !(country && /^[A-Z]{2}$/.test(country))) {
    throw new UnauthorizedException('member tokens need a country claim');
  }
  const region = typeof payload.region === 'string' ? (payload.region.toUpperCase() as Principal['region']) : undefined;
  if (region && !REGIONS.includes(region)) throw new UnauthorizedException('unknown region claim');
  return { sub: payload.sub, role, country, region, expiresAt: (payload.exp as number) * 1000 };
}
