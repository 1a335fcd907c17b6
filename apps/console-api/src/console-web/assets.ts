import { Public } from '@hotline/observability';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The console's stylesheet and script: two files, read once at start, served from this origin
 * (the CSP allows nothing else). Their URLs carry a digest of their content, so a browser keeps
 * them for a year and a new version is a new URL.
 */
const FILES = { css: 'console.css', js: 'console.js' } as const;
const TYPES = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' } as const;

// Next to this module in the source tree; scripts/build.js copies the folder next to the build.
const ASSETS_DIR = join(__dirname, 'assets');

interface Asset {
  path: string;
  body: Buffer;
  type: string;
}

function load(kind: keyof typeof FILES): Asset {
  const body = readFileSync(join(ASSETS_DIR, FILES[kind]));
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/console-assets/${FILES[kind].replace('.', `.${digest}.`)}`, body, type: TYPES[kind] };
}

const ASSETS = { css: load('css'), js: load('js') };

export const ASSET_PATHS = { css: ASSETS.css.path, js: ASSETS.js.path } as const;

const BY_NAME = new Map(Object.values(ASSETS).map((asset) => [asset.path.slice('/console-assets/'.length), asset]));

@ApiExcludeController()
@Controller('console-assets')
export class ConsoleAssetsController {
  @Public()
  @Get(':file')
  serve(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const asset = BY_NAME.get(file);
    if (!asset) throw new NotFoundException();
    void reply.header('content-type', asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  }
}
