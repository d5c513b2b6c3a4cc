import { counted } from '../../core/counted';
import * as vscode from 'vscode';
import { decodedPreview, messageContext, type SchemaContext } from '../../core/payload/decodedPreview';
import { formatAge, formatBytes } from '../../core/payload/preview';
import type { TopicNode } from '../../core/topicTree';
import type { MqttMessage } from '../../shared/mqttMessage';
import { markdownText } from './markdownText';

/** How long a topic shows the "changed" marker after a message. */
export const RECENT_CHANGE_MS = 3000;

const ICON_RECENT = new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.yellow'));
const ICON_RETAINED = new vscode.ThemeIcon('pinned');
const ICON_BRANCH = new vscode.ThemeIcon('list-tree');
const ICON_LEAF = new vscode.ThemeIcon('symbol-field');

/** The preview of a node's last payload: binary formats decoded (a C struct's fields, a Protobuf message). */
function lastPayloadPreview(message: MqttMessage, maxChars: number, context: SchemaContext): string {
  return decodedPreview(message.payload, maxChars, messageContext(message, context));
}

/** "42 msgs · 5 topics · {"t":21.5} · 3 s": counts, preview of the last payload, and its age. */
export function describeTopic(node: TopicNode, now: number, context: SchemaContext = {}): string {
  const parts: string[] = [];
  const hasChildren = node.children.size > 0;
  if (node.totalMessages > 1 || hasChildren) parts.push(counted(node.totalMessages, 'msg'));
  const subtopics = node.topicCount - (node.messageCount > 0 ? 1 : 0);
  if (hasChildren) parts.push(counted(subtopics, 'topic'));
  if (node.lastMessage) {
    parts.push(node.retainCleared && node.lastMessage.payload.byteLength === 0 ? '(retained cleared)' : lastPayloadPreview(node.lastMessage, 48, context));
  }
  if (node.changedAt > 0) parts.push(formatAge(node.changedAt, now));
  return parts.join(' · ');
}

/** The tree item of one topic level. Level "" (an empty level, as in `a//b`) is shown as `""`. */
export function topicTreeItem(connection: string, node: TopicNode, now: number, context: SchemaContext = {}): vscode.TreeItem {
  const label = node.level === '' ? '""' : node.level;
  const item = new vscode.TreeItem(label, node.children.size > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `topic:${connection}\u0000${node.topic}`;
  item.description = describeTopic(node, now, context);
  const recent = isRecentlyChanged(node, now);
  item.iconPath = recent ? ICON_RECENT : node.retained ? ICON_RETAINED : node.children.size > 0 ? ICON_BRANCH : ICON_LEAF;
  const flags = [node.lastMessage ? 'message' : 'branch', node.retained ? 'retained' : '', node.retainedCount > 0 ? 'hasRetained' : ''];
  item.contextValue = `topic ${flags.filter(Boolean).join(' ')}`;
  item.accessibilityInformation = { label: `${label}: ${item.description}${node.retained ? ', retained' : ''}` };
  return item;
}

/** A topic whose own last message arrived in the last few seconds (ancestors do not light up with it). */
export function isRecentlyChanged(node: TopicNode, now: number): boolean {
  const receivedAt = node.lastMessage?.receivedAt;
  return receivedAt !== undefined && now - receivedAt < RECENT_CHANGE_MS;
}

/** Tooltip: full topic, QoS, retain, size, time, MQTT 5 properties and a payload preview, all as escaped text. */
export function topicTooltip(node: TopicNode, context: SchemaContext = {}): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown(`**${markdownText(node.topic === '' ? '""' : node.topic)}**\n\n`);
  md.appendMarkdown(`${counted(node.totalMessages, 'message')} · ${counted(node.topicCount, 'topic')} · ${node.retainedCount} retained\n\n`);
  const message = node.lastMessage;
  if (!message) return md;
  md.appendMarkdown(`Last message: QoS ${message.qos}${message.retain ? ' · retained' : ''}${message.dup ? ' · DUP' : ''} · ${formatBytes(message.payload.byteLength)} · ${new Date(message.receivedAt).toLocaleString()}\n\n`);
  for (const line of propertyLines(message)) md.appendMarkdown(`${markdownText(line)}  \n`);
  md.appendMarkdown(`\n---\n\n${markdownText(lastPayloadPreview(message, 400, context))}`);
  return md;
}

function propertyLines(message: MqttMessage): string[] {
  const p = message.properties;
  if (!p) return [];
  const lines: string[] = [];
  if (p.contentType !== undefined) lines.push(`Content type: ${p.contentType}`);
  if (p.payloadFormatIndicator !== undefined) lines.push(`Payload format: ${p.payloadFormatIndicator ? 'UTF-8 text' : 'bytes'}`);
  if (p.messageExpiryInterval !== undefined) lines.push(`Message expiry: ${p.messageExpiryInterval} s`);
  if (p.responseTopic !== undefined) lines.push(`Response topic: ${p.responseTopic}`);
  if (p.correlationData !== undefined) lines.push(`Correlation data: ${Array.from(p.correlationData, (b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  if (p.subscriptionIdentifiers?.length) lines.push(`Subscription ids: ${p.subscriptionIdentifiers.join(', ')}`);
  for (const [key, value] of p.userProperties ?? []) lines.push(`${key}: ${value}`);
  return lines;
}
