import { BadRequestException, HttpException, HttpStatus, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { json, NextFunction, Request, RequestHandler, Response } from 'express';
import { BODY } from './limits';

// JSON request bodies: only JSON in UTF-8, at most BODY.maxBytes, nested at most BODY.maxDepth
// deep. Each refusal is an HttpException, so the error filter answers it in the one error shape.

const isJsonType = (req: Request) => Boolean(req.is(['application/json', 'application/*+json']));
const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

function problem(status: HttpStatus, message: string, issue: string): HttpException {
  const body = { message, details: [{ field: 'body', problem: issue }] };
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) return new PayloadTooLargeException(body);
  if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) return new UnsupportedMediaTypeException(body);
  return new BadRequestException(body);
}

/** body-parser's errors, named for the client. */
function fromParser(error: { type?: string; charset?: string; encoding?: string }): HttpException {
  switch (error.type) {
    case 'entity.too.large':
      return problem(HttpStatus.PAYLOAD_TOO_LARGE, 'request body too large', `must be at most ${BODY.maxBytes} bytes`);
    case 'charset.unsupported':
      return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, `unsupported charset "${error.charset}"`, 'must be JSON encoded as UTF-8');
    case 'encoding.unsupported':
      return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, `unsupported content encoding "${error.encoding}"`, 'must not be compressed');
    case 'entity.parse.failed':
      return problem(HttpStatus.BAD_REQUEST, 'request body is not valid JSON', 'malformed JSON');
    default:
      return problem(HttpStatus.BAD_REQUEST, 'request body could not be read', 'unreadable body');
  }
}

/** Nesting depth of a parsed value, walked without recursion so no input can overflow the stack. */
export function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

export function jsonBodyParsing(): RequestHandler[] {
  const parse = json({ limit: BODY.maxBytes, strict: true, type: (req) => isJsonType(req as Request) });
  return [
    (req: Request, _res: Response, next: NextFunction) => {
      if (hasBody(req) && !isJsonType(req)) {
        return next(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, `unsupported content type "${req.headers['content-type'] ?? ''}"`, 'must be application/json'));
      }
      next();
    },
    (req: Request, res: Response, next: NextFunction) => {
      parse(req, res, (error?: unknown) => next(error ? fromParser(error as { type?: string }) : undefined));
    },
    (req: Request, _res: Response, next: NextFunction) => {
      if (req.body !== undefined && depthOf(req.body, BODY.maxDepth) > BODY.maxDepth) {
        return next(problem(HttpStatus.BAD_REQUEST, 'request body nested too deeply', `must nest at most ${BODY.maxDepth} levels`));
      }
      next();
    },
  ];
}
