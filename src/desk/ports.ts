/**
 * The desk ports this process has (what one is: ./port.ts), by name. Either desk serves users of either platform:
 * a ticket's thread goes to the desk of the person's platform when there is one, else to another.
 */
import type { DeskPort } from './port.js';

export class DeskPorts {
  private readonly ports = new Map<string, DeskPort>();

  add(port: DeskPort): void {
    this.ports.set(port.name, port);
  }

  /** Whether any desk is configured (else asking for a volunteer is answered honestly). */
  any(): boolean {
    return this.ports.size > 0;
  }

  /** The port a ticket's thread lives on (stored with the ticket), if it is configured here. */
  named(name: string): DeskPort | undefined {
    return this.ports.get(name);
  }

  /** The names of the ports registered here (the desks' directory picks among them). */
  names(): ReadonlySet<string> {
    return new Set(this.ports.keys());
  }

  /** Where a new ticket's thread goes: the person's own platform's desk, else any (a Telegram user helped from Matrix). */
  forPlatform(platform: string): DeskPort | undefined {
    return this.ports.get(platform) ?? this.ports.values().next().value;
  }
}
