import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Clock } from '../../common/index.js';
import type { Sandbox } from '../../sandbox/index.js';
import type { EnvironmentChannel } from '../channel.js';
import { connectionOwnedBy, peakRssKb } from './peer.js';
import { RuntimeSession } from './runtime-session.js';

/**
 * One environment's Runtime API endpoint: its own port on 127.0.0.1, answering only
 * connections opened by that environment's processes.
 *
 * The network namespace is shared (functions call out and reach Hearth), so every
 * environment can connect to every loopback port. Each accepted connection is therefore
 * checked before a byte of it is read: the kernel's TCP table gives the inode of the
 * client's socket, and that socket must be an open descriptor of one of the
 * environment's processes (its cgroup, or its process tree). Anything else is destroyed.
 */
export class RuntimeApiServer {
  private readonly sockets = new Set<Socket>();
  private readonly http: HttpServer;
  private owner?: Sandbox;
  private session?: RuntimeSession;
  /** Connections refused because they came from outside the environment. */
  refused = 0;

  private constructor(
    private readonly net: NetServer,
    readonly port: number,
  ) {
    // A `next` waits for as long as the environment stays idle (minutes, frozen in
    // between): no request, header or keep-alive timeouts on this endpoint.
    this.http = createHttpServer({ requestTimeout: 0, headersTimeout: 0, keepAliveTimeout: 0 }, (req, res) => {
      if (this.session) this.session.handle(req, res);
      else res.destroy();
    });
    this.http.keepAliveTimeout = 0;
    this.http.timeout = 0;
    net.on('connection', (socket) => this.accept(socket));
  }

  /** Opens an endpoint on a free loopback port; nothing is served until `attach`. */
  static listen(): Promise<RuntimeApiServer> {
    return new Promise((resolve, reject) => {
      const net = createNetServer({ pauseOnConnect: true });
      net.once('error', reject);
      net.listen(0, '127.0.0.1', () => {
        net.off('error', reject);
        resolve(new RuntimeApiServer(net, (net.address() as AddressInfo).port));
      });
    });
  }

  /** The value of `AWS_LAMBDA_RUNTIME_API`. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Serves the environment running in `sandbox`; returns its channel. */
  attach(sandbox: Sandbox, clock: Clock): EnvironmentChannel {
    this.owner = sandbox;
    const session = new RuntimeSession(clock, clock.monotonic(), () => peakRssKb(sandbox.pids()));
    this.session = session;
    return {
      send: (msg) => session.send(msg),
      receive: (receiver) => session.receive(receiver),
      close: () => {
        session.close();
        this.close();
      },
    };
  }

  /** Stops listening and drops every connection. */
  close(): void {
    this.net.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private accept(socket: Socket): void {
    const owner = this.owner;
    const clientPort = socket.remotePort;
    if (!owner || !clientPort || !connectionOwnedBy(clientPort, this.port, owner.pids())) {
      this.refused++;
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    this.http.emit('connection', socket);
    socket.resume();
  }
}

/** Runs `start` (the sandbox's start); closes the endpoint if it throws. */
export function closingOnError<T>(api: RuntimeApiServer | undefined, start: () => T): T {
  try {
    return start();
  } catch (err) {
    api?.close();
    throw err;
  }
}
