// A TCP port in front of a server. Closed, it accepts connections and never answers, as a security group that drops
// packets makes a database look; opened, it forwards new connections to the server. Holding closes, it never closes
// a client's side of a connection, as a server that vanished mid-session never would.

import { connect, createServer, type Server, type Socket } from 'node:net';

export class TcpGate {
  private isOpen = false;
  private isHoldingCloses = false;
  private readonly sockets = new Set<Socket>();
  /** Connections accepted so far. */
  connections = 0;

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(targetPort: number): Promise<TcpGate> {
    // Half-open allowed, so a client's end of its writing does not end the gate's writing to it.
    const server = createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const gate = new TcpGate(server, (server.address() as { port: number }).port);
    server.on('connection', (socket) => gate.accept(socket, targetPort));
    return gate;
  }

  open(): void {
    this.isOpen = true;
  }

  /** From now on, a connection whose server side closes stays open on the client side, silent. */
  holdCloses(): void {
    this.isHoldingCloses = true;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(socket: Socket, targetPort: number): void {
    this.connections++;
    this.track(socket);
    if (!this.isOpen) return;
    const upstream = this.track(connect(targetPort, '127.0.0.1'));
    socket.pipe(upstream);
    upstream.pipe(socket, { end: false });
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      if (!this.isHoldingCloses) socket.destroy();
    });
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
    return socket;
  }
}
