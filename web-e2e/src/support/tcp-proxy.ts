import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy the browser talks to instead of an app server, to cut the line the way a network
 * drop or a proxy restarting during a deploy does: `cut()` resets every connection through it and
 * refuses new ones until `restore()`. It listens on a port the system picks.
 */
export class TcpProxy {
  private readonly server = createServer((client) => this.connect(client));
  private readonly sockets = new Set<Socket>();
  private refusing = false;

  private constructor(private readonly targetPort: number) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** Where the browser goes instead of the app: the same pages and API. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) if (!socket.destroyed) socket.resetAndDestroy();
  }

  restore(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private connect(client: Socket): void {
    if (this.refusing) {
      // A reset, as from a host that is away, rather than an orderly end of the response.
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
    this.join(client, upstream);
    this.join(upstream, client);
  }

  /** Pipes `from` into `to`; when either side goes, the other goes too. */
  private join(from: Socket, to: Socket): void {
    this.sockets.add(from);
    from.pipe(to);
    from.on('error', () => to.destroy());
    from.on('close', () => {
      this.sockets.delete(from);
      to.destroy();
    });
  }
}
