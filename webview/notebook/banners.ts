/**
 * The banners above the header: the file changed on disk and conflicts with the panel's edits (until the host's
 * state says it is resolved), and the last save failed (the edits are kept; until a later state arrives or the
 * reader dismisses it).
 */
import { codicon, el } from '../shared/dom';
import { iconButton, textButton } from './parts';

export class Banners {
  readonly element = el('div', 'nb-banners');
  private readonly conflictBox = el('div', 'nb-banner nb-banner-conflict');
  private readonly conflictText = el('span', 'nb-banner-text');
  private readonly saveBox = el('div', 'nb-banner nb-banner-error');
  private readonly saveText = el('span', 'nb-banner-text');
  /** The revision shown when the save error arrived: a newer state means a later save. */
  private saveErrorRevision: number | undefined;

  constructor(onShowConflict: () => void) {
    this.conflictBox.setAttribute('role', 'alert');
    const show = textButton('diff', 'Show Conflict', 'banner:conflict', 'primary', 'Compare the file on disk with your edits and choose');
    show.addEventListener('click', onShowConflict);
    this.conflictBox.append(codicon('warning', 'nb-banner-icon'), this.conflictText, show);
    this.conflictBox.hidden = true;

    this.saveBox.setAttribute('role', 'alert');
    const dismiss = iconButton('close', 'Dismiss', 'banner:save:dismiss');
    dismiss.addEventListener('click', () => this.clearSaveError());
    this.saveBox.append(codicon('error', 'nb-banner-icon'), this.saveText, dismiss);
    this.saveBox.hidden = true;
    this.element.append(this.conflictBox, this.saveBox);
  }

  /** `fields`: what conflicts (undefined: no conflict). */
  conflict(fields: readonly string[] | undefined): void {
    this.conflictBox.hidden = !fields;
    if (!fields) return;
    const list = fields.length ? fields.map((f) => String(f)).join(', ') : 'unknown fields';
    this.conflictText.textContent = `The file changed on disk and conflicts with your edits: ${list}`;
    this.conflictText.title = list.length > 300 ? `${list.slice(0, 300)}…` : list;
  }

  saveError(message: string, revision: number): void {
    this.saveErrorRevision = revision;
    this.saveText.textContent = `Could not save the incident file: ${message}. Your edits are kept (in memory and in a backup file); nothing is lost.`;
    this.saveBox.hidden = false;
  }

  /** A state newer than the failed save: the host saved again (it sends saveError again when that fails too). */
  stateArrived(revision: number): void {
    if (this.saveErrorRevision !== undefined && revision > this.saveErrorRevision) this.clearSaveError();
  }

  private clearSaveError(): void {
    this.saveErrorRevision = undefined;
    this.saveBox.hidden = true;
    this.saveText.textContent = '';
  }
}
