// "Trigger Custom Sample Event…"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { loadSamples } from '../coreAdapter';
import { customSampleKey } from './customSamples';
import { defineCommand } from './command';

export const triggerCustomSample = defineCommand(COMMANDS.triggerCustomSample, (deps) => {
  const { workbench } = deps;
  return async (kindArg?: unknown) => {
    const samples = await loadSamples();
    const editable = samples.kinds.filter((k) => !k.kind.startsWith('kaltura-legacy'));
    let kind = typeof kindArg === 'string' ? kindArg : undefined;
    if (!kind) {
      const pick = await vscode.window.showQuickPick(
        editable.map((k) => ({
          label: k.label,
          description: deps.context.globalState.get(customSampleKey(k.kind)) ? `${k.kind} · your last edit` : k.kind,
          detail: k.description,
          sampleKind: k.kind,
        })),
        { title: vscode.l10n.t('Custom sample event: pick one to edit (signed like the real sender when sent)'), matchOnDescription: true, ignoreFocusOut: true },
      );
      if (!pick) return undefined;
      kind = pick.sampleKind;
    }
    if (!editable.some((k) => k.kind === kind)) {
      throw new Error(vscode.l10n.t('"{0}" cannot be edited: legacy notifications are signed over their fields with md5 (sig), which Send Request does not redo; use Trigger Sample Event.', kind));
    }
    const sample = samples.build(kind, workbench.credentials(), workbench.account?.partnerId);
    const { requestDocumentFor } = await import('../../core/forward/requestDocument');
    const { sampleToCapturedRequest } = await import('../../core/providers/samples');
    const captured = sampleToCapturedRequest(sample, `custom-${kind}`);
    const remembered = deps.context.globalState.get<string>(customSampleKey(kind));
    const uri = await deps.requests.open(`sample-${kind}`, remembered ?? requestDocumentFor(captured, { sendTo: 'receiver' }), captured, kind);
    return uri.toString();
  };
});
