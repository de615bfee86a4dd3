/** The slice of pino's Logger the embedded agent writes to (a pino Logger fits). */
export interface AgentLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
