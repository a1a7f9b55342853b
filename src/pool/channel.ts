import type { ChildProcess } from 'node:child_process';
import type { EnvironmentMessage, InvokeMessage } from '../common/index.js';

/**
 * How an Environment talks to the runtime inside it, in the messages of
 * `common/protocol`: it sends `invoke` and receives `ready`, `init-error` and `result`.
 * Two adapters: Hearth's own bootstraps use the private IPC pipe (`ipcChannel`); custom
 * runtimes use the Lambda Runtime API (`runtime-api/`), which translates its HTTP calls
 * into the same messages. The lifecycle above (Environment, FunctionPool, Invoker) is
 * the same for both.
 */
export interface EnvironmentChannel {
  /** Hands one request to the runtime. */
  send(msg: InvokeMessage): void;
  /** Sets the one receiver of the runtime's messages. */
  receive(receiver: (m: EnvironmentMessage) => void): void;
  /** The environment is gone: releases what the channel holds. */
  close(): void;
}

/** Node's IPC pipe on fd 3 (JSON lines), inherited by the runtime process only. */
export function ipcChannel(child: ChildProcess): EnvironmentChannel {
  return {
    send: (msg) => {
      child.send(msg);
    },
    receive: (receiver) => {
      child.on('message', receiver);
    },
    close: () => {},
  };
}
