/**
 * Text someone else wrote (a name the citizen typed, an officer's reason or note) put into a bot
 * message, which web chat renders as markdown (security audit 4.2). Pure.
 */

/**
 * Makes markdown images inert: `![alt](url)` (and `![alt][ref]`) would make the reader's browser
 * fetch the URL as soon as the message shows. A space after the "!" leaves the same words and at most
 * a link, which loads nothing until clicked. The page's Content-Security-Policy blocks remote images
 * too; this keeps the text harmless on channels that have no such policy.
 */
export function inertMarkdown(text: string): string {
  // Only "!" directly followed by "[" opens an image in CommonMark.
  return text.replace(/!\[/g, '! [');
}
