// The ONLY file that imports the toolkit: registers the web components the panel uses.
import { provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption, vsCodeProgressRing, vsCodeTextArea, vsCodeTextField } from '@vscode/webview-ui-toolkit';

/** Registers the toolkit components once, before any is created. */
export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField(), vsCodeTextArea(), vsCodeCheckbox(), vsCodeProgressRing(), vsCodeBadge());
}
