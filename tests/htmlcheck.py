"""A strict little HTML tree for tests: html.parser events, a stack, and every mismatch recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Iterator

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)
    line: int = 0

    def iter(self, tag: str | None = None, cls: str | None = None) -> Iterator["Node"]:
        """Descendants (document order), by tag and/or one of their classes."""
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                    yield child
                yield from child.iter(tag, cls)

    def all(self, tag: str | None = None, cls: str | None = None) -> list["Node"]:
        return list(self.iter(tag, cls))

    def one(self, tag: str | None = None, cls: str | None = None) -> "Node":
        found = self.all(tag, cls)
        assert len(found) == 1, f"expected one <{tag} class={cls}>, found {len(found)}"
        return found[0]

    def kids(self, tag: str) -> list["Node"]:
        return [c for c in self.children if isinstance(c, Node) and c.tag == tag]

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]
        self.errors: list[str] = []
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [k for k, _ in attrs]
        if len(names) != len(set(names)):
            self.errors.append(f"line {self.getpos()[0]}: <{tag}> repeats an attribute")
        node = Node(tag, dict(attrs), line=self.getpos()[0])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.errors.append(f"line {self.getpos()[0]}: end tag for void <{tag}>")
            return
        top = self.stack[-1]
        if top.tag != tag:
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes <{top.tag}> (opened line {top.line})")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    """The document's tree; asserts it is well nested, every element closed, with a doctype."""
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    unclosed = [n.tag for n in builder.stack[1:]]
    assert not builder.errors and not unclosed, (builder.errors, unclosed)
    assert builder.doctype is not None and builder.doctype.lower() == "doctype html"
    return builder.root


def assert_self_contained(root: Node) -> None:
    """No script, no external resource, links only to anchors on the page, a CSP that forbids the rest."""
    for tag in ("script", "link", "img", "iframe", "object", "embed", "base", "form", "video", "audio", "image",
                "foreignobject"):
        assert not root.all(tag), f"<{tag}> in a self-contained report"
    for svg in root.all("svg"):  # charts: drawn inline, and only inside their figure
        assert any(svg in list(f.iter()) for f in root.all("figure", "chart")), \
            "an <svg> outside a chart figure"
    all_ids = [n.attrs["id"] for n in root.iter() if n.attrs.get("id")]
    assert len(all_ids) == len(set(all_ids)), "an id is used twice"
    ids = set(all_ids)
    for node in root.iter():
        for name, value in node.attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{node.tag}>"
            if name in ("src", "srcset", "data", "action", "formaction", "poster"):
                raise AssertionError(f"{name}= on <{node.tag}>")
            if name in ("href", "xlink:href"):
                assert value and value.startswith("#") and value[1:] in ids, f"href {value!r} leaves the page"
        if node.tag == "style":
            css = node.text()
            assert "url(" not in css and "@import" not in css
    (csp,) = [m for m in root.iter("meta") if (m.attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert "default-src 'none'" in (csp.attrs["content"] or "")
