// "Stop Tunnel"
import { COMMANDS } from '../commandIds';
import { defineCommand } from './command';

export const stopTunnel = defineCommand(COMMANDS.stopTunnel, ({ workbench }) => async () => {
  await workbench.stopTunnel();
});
