import { custom, el } from '../dom';

/** An inline, dismissible error banner for `error` messages from the host. */
export class Banner {
  /** The banner's root element. */
  readonly element = el('div', 'banner');
  private readonly text = el('span', 'banner-text');

  constructor() {
    this.element.setAttribute('role', 'alert');
    const close = custom('vscode-button', 'banner-close', '✕');
    close.setAttribute('appearance', 'icon');
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', () => this.hide());
    this.element.append(this.text, close);
    this.hide();
  }

  /** Shows a message (as text). */
  show(message: string): void {
    this.text.textContent = message;
    this.element.hidden = false;
  }

  /** Hides the banner. */
  hide(): void {
    this.element.hidden = true;
  }
}
