// Runtime fault modes for hardening tests (issue #7): the next N API calls answer 500, hang, or return broken
// JSON; expire-ks invalidates every current session at once.
import type { FaultConfig, FaultMode, FaultState } from './types';

export class FaultSwitch {
  private mode: FaultMode = 'none';
  private remaining: number | null = null;

  constructor(private readonly expireSessions: () => void) {}

  set(config: FaultConfig): FaultState {
    if (config.mode === 'expire-ks') {
      this.expireSessions();
      this.mode = 'none';
      this.remaining = null;
    } else {
      this.mode = config.mode;
      this.remaining = config.mode === 'none' ? null : (config.count ?? null);
    }
    return this.state();
  }

  state(): FaultState {
    return { mode: this.mode, remaining: this.remaining };
  }

  /** The fault for this API call (consuming one of `count`), or none. */
  take(): FaultMode {
    if (this.mode === 'none') return 'none';
    const mode = this.mode;
    if (this.remaining !== null) {
      this.remaining--;
      if (this.remaining <= 0) {
        this.mode = 'none';
        this.remaining = null;
      }
    }
    return mode;
  }
}
