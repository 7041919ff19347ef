import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Metrics } from './metrics';

/** The route label of requests no route matched (unknown paths, refused before routing). */
const NO_ROUTE = 'none';

/** Times every HTTP answer, labelled with the route's pattern, never the URL the client sent. */
@Injectable()
export class HttpLatency implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Fastify attaches hooks to the routes when it gets ready, so routes added earlier get it too.
    fastify.addHook('onResponse', async (request, reply) => {
      this.metrics.httpAnswered(
        request.method,
        request.routeOptions.url ?? NO_ROUTE,
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
    });
  }
}
