// The two DOM helpers every console page uses: text is only ever set with textContent, never parsed as HTML.

export const $ = (id) => document.getElementById(id);

export const element = (tag, text, className) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
};
