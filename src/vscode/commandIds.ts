// Every command id in one place (package.json `contributes.commands` lists the same ids).
export const COMMANDS = {
  start: 'kalturaWebhooks.start',
  stop: 'kalturaWebhooks.stop',
  startTunnel: 'kalturaWebhooks.startTunnel',
  stopTunnel: 'kalturaWebhooks.stopTunnel',
  copyWebhookUrl: 'kalturaWebhooks.copyWebhookUrl',
  connectAccount: 'kalturaWebhooks.connectAccount',
  useSandbox: 'kalturaWebhooks.useSandbox',
  forgetAccount: 'kalturaWebhooks.forgetAccount',
  registerWebhook: 'kalturaWebhooks.registerWebhook',
  refreshTemplates: 'kalturaWebhooks.refreshTemplates',
  dispatchTemplate: 'kalturaWebhooks.dispatchTemplate',
  editTemplate: 'kalturaWebhooks.editTemplate',
  enableTemplate: 'kalturaWebhooks.enableTemplate',
  disableTemplate: 'kalturaWebhooks.disableTemplate',
  deleteTemplate: 'kalturaWebhooks.deleteTemplate',
  repointTemplate: 'kalturaWebhooks.repointTemplate',
  cleanupTemplates: 'kalturaWebhooks.cleanupTemplates',
  triggerSample: 'kalturaWebhooks.triggerSample',
  triggerCustomSample: 'kalturaWebhooks.triggerCustomSample',
  openEvent: 'kalturaWebhooks.openEvent',
  replayEvent: 'kalturaWebhooks.replayEvent',
  editAndReplay: 'kalturaWebhooks.editAndReplay',
  sendRequestDocument: 'kalturaWebhooks.sendRequestDocument',
  forwardEvent: 'kalturaWebhooks.forwardEvent',
  copyAsCurl: 'kalturaWebhooks.copyAsCurl',
  openRawBody: 'kalturaWebhooks.openRawBody',
  generateHandler: 'kalturaWebhooks.generateHandler',
  exportEvents: 'kalturaWebhooks.exportEvents',
  clearEvents: 'kalturaWebhooks.clearEvents',
  filterEvents: 'kalturaWebhooks.filterEvents',
  clearEventFilter: 'kalturaWebhooks.clearEventFilter',
  viewEventsAsList: 'kalturaWebhooks.viewEventsAsList',
  viewEventsAsGroups: 'kalturaWebhooks.viewEventsAsGroups',
  setResponseMode: 'kalturaWebhooks.setResponseMode',
  registerEnablexWebhook: 'kalturaWebhooks.registerEnablexWebhook',
  triggerEnablexSample: 'kalturaWebhooks.triggerEnablexSample',
  showEvents: 'kalturaWebhooks.showEvents',
  showLog: 'kalturaWebhooks.showLog',
} as const;

export const VIEWS = {
  container: 'kalturaWebhooks',
  events: 'kalturaWebhooks.events',
  templates: 'kalturaWebhooks.templates',
  connection: 'kalturaWebhooks.connection',
} as const;

export const CONTEXT_KEYS = {
  running: 'kalturaWebhooks.running',
  hasEvents: 'kalturaWebhooks.hasEvents',
  eventFilterActive: 'kalturaWebhooks.eventFilterActive',
  /** The Events view shows the flat list (not the groups). */
  eventsList: 'kalturaWebhooks.eventsList',
  /** The inspector has shown a verified event (a walkthrough step). */
  inspectedVerifiedEvent: 'kalturaWebhooks.inspectedVerifiedEvent',
  // Walkthrough steps tick on these (an outcome, however it came about), not on a click of their buttons.
  hasRegisteredTemplate: 'kalturaWebhooks.hasRegisteredTemplate',
  receivedKalturaEvent: 'kalturaWebhooks.receivedKalturaEvent',
} as const;
