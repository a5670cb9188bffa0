//go:build js && wasm

// Command shparse exposes mvdan.cc/sh/v3/syntax to JavaScript as one global function,
// __dockerlintShParse(source, dialect), returning the compact AST described in
// src/parsers/shell-ast.ts as a JSON string.
//
// The JSON is written by hand (no encoding/json, no reflection): it is several times faster,
// and it emits only the fields of the contract. Positions are [line, column, offset] with
// byte-based column and offset; the TypeScript loader converts them to UTF-16 when needed.
//
// Build with scripts/build-wasm.sh.
package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"syscall/js"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

const globalName = "__dockerlintShParse"

func main() {
	js.Global().Set(globalName, js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) < 1 || args[0].Type() != js.TypeString {
			return js.ValueOf(errorResult("internal error: source must be a string", syntax.Pos{}, false))
		}
		dialect := "bash"
		if len(args) > 1 && args[1].Type() == js.TypeString {
			dialect = args[1].String()
		}
		return js.ValueOf(parse(args[0].String(), dialect))
	}))
	select {}
}

// One parser per dialect, reused between calls (Parse resets its state).
var parsers = map[string]*syntax.Parser{}

func parserFor(dialect string) (*syntax.Parser, bool) {
	if p, ok := parsers[dialect]; ok {
		return p, true
	}
	var lang syntax.LangVariant
	switch dialect {
	case "posix":
		lang = syntax.LangPOSIX
	case "bash":
		lang = syntax.LangBash
	case "mksh":
		lang = syntax.LangMirBSDKorn
	default:
		return nil, false
	}
	p := syntax.NewParser(syntax.KeepComments(true), syntax.Variant(lang))
	parsers[dialect] = p
	return p, true
}

// The output buffer is reused between calls; only its contents are copied out to JS.
var out = make([]byte, 0, 64*1024)

func parse(src, dialect string) (result string) {
	defer func() {
		if r := recover(); r != nil {
			// The parser may be in a bad state after a panic: drop it.
			delete(parsers, dialect)
			result = errorResult(fmt.Sprintf("internal error: %v", r), syntax.Pos{}, false)
		}
	}()
	p, ok := parserFor(dialect)
	if !ok {
		return errorResult("internal error: unknown dialect "+strconv.Quote(dialect), syntax.Pos{}, false)
	}
	f, err := p.Parse(strings.NewReader(src), "")
	if err != nil {
		switch e := err.(type) {
		case syntax.ParseError:
			return errorResult(e.Text, e.Pos, e.Incomplete)
		case *syntax.ParseError:
			return errorResult(e.Text, e.Pos, e.Incomplete)
		case syntax.LangError:
			return errorResult(strings.TrimPrefix(e.Error(), e.Pos.String()+": "), e.Pos, false)
		case *syntax.LangError:
			return errorResult(strings.TrimPrefix(e.Error(), e.Pos.String()+": "), e.Pos, false)
		default:
			return errorResult(err.Error(), syntax.Pos{}, false)
		}
	}
	w := &writer{b: out[:0], src: src}
	w.str(`{"ok":true,"file":{"type":"File","stmts":`)
	w.stmts(f.Stmts)
	w.str(`,"comments":`)
	w.comments(f)
	w.str(`}}`)
	result = string(w.b)
	out = w.b
	if cap(out) > 16*1024*1024 {
		out = make([]byte, 0, 64*1024) // do not keep a huge buffer alive
	}
	return result
}

func errorResult(message string, pos syntax.Pos, incomplete bool) string {
	w := &writer{}
	w.str(`{"ok":false,"error":{"message":`)
	w.quote(message)
	w.str(`,"p":`)
	if pos.IsValid() {
		w.pos(pos)
	} else {
		w.str(`[1,1,0]`)
	}
	w.str(`,"incomplete":`)
	w.bool(incomplete)
	w.str(`}}`)
	return string(w.b)
}

// writer appends JSON to b.
type writer struct {
	b   []byte
	src string
	// While clipping, positions after clip are written as clip (see heredocBodyEnd).
	clip     syntax.Pos
	clipping bool
}

func (w *writer) str(s string) { w.b = append(w.b, s...) }

func (w *writer) bool(v bool) {
	if v {
		w.b = append(w.b, "true"...)
	} else {
		w.b = append(w.b, "false"...)
	}
}

func (w *writer) uint(v uint) { w.b = strconv.AppendUint(w.b, uint64(v), 10) }

func (w *writer) pos(p syntax.Pos) {
	w.b = append(w.b, '[')
	w.uint(p.Line())
	w.b = append(w.b, ',')
	w.uint(p.Col())
	w.b = append(w.b, ',')
	w.uint(p.Offset())
	w.b = append(w.b, ']')
}

// span writes `"type":"<typ>","p":[...],"e":[...]` (no braces).
func (w *writer) span(typ string, p, e syntax.Pos) {
	if w.clipping {
		if p.Offset() > w.clip.Offset() {
			p = w.clip
		}
		if e.Offset() > w.clip.Offset() {
			e = w.clip
		}
	}
	w.b = append(w.b, `"type":"`...)
	w.b = append(w.b, typ...)
	w.b = append(w.b, `","p":`...)
	w.pos(p)
	w.b = append(w.b, `,"e":`...)
	w.pos(e)
}

const hex = "0123456789abcdef"

// quote writes s as a JSON string. Control characters become \u00XX, invalid UTF-8 bytes
// become \ufffd; everything else valid UTF-8 is copied as is.
func (w *writer) quote(s string) {
	b := append(w.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	w.b = append(b, '"')
}

// ---- statements and commands ----

func (w *writer) stmts(list []*syntax.Stmt) {
	w.b = append(w.b, '[')
	for i, s := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.stmt(s)
	}
	w.b = append(w.b, ']')
}

func (w *writer) stmtOrNull(s *syntax.Stmt) {
	if s == nil {
		w.str("null")
		return
	}
	w.stmt(s)
}

func (w *writer) stmt(s *syntax.Stmt) {
	w.b = append(w.b, '{')
	w.span("Stmt", s.Pos(), s.End())
	w.str(`,"cmd":`)
	if s.Cmd == nil {
		w.str("null")
	} else {
		w.command(s.Cmd)
	}
	w.str(`,"negated":`)
	w.bool(s.Negated)
	w.str(`,"background":`)
	w.bool(s.Background)
	w.str(`,"redirs":[`)
	for i, r := range s.Redirs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.redirect(r)
	}
	w.str(`]}`)
}

func (w *writer) redirect(r *syntax.Redirect) {
	w.b = append(w.b, '{')
	end := r.OpPos
	if r.Hdoc != nil && len(r.Hdoc.Parts) > 0 {
		end = r.Hdoc.End()
	} else if r.Word != nil && len(r.Word.Parts) > 0 {
		end = r.Word.End()
	}
	w.span("Redirect", r.Pos(), end)
	w.str(`,"op":`)
	w.quote(r.Op.String())
	w.str(`,"n":`)
	if r.N != nil {
		w.quote(r.N.Value)
	} else {
		w.str("null")
	}
	w.str(`,"word":`)
	w.wordOrNull(r.Word)
	w.str(`,"hdoc":`)
	if r.Hdoc != nil && len(r.Hdoc.Parts) > 0 {
		// mvdan ends the body (its last part) after the closing delimiter line; end it where
		// that line starts instead, so that the span of hdoc is the body only.
		if bodyEnd, ok := w.heredocBodyEnd(r); ok {
			w.clip, w.clipping = bodyEnd, true
			w.word(r.Hdoc)
			w.clipping = false
		} else {
			w.word(r.Hdoc)
		}
	} else {
		w.str("null")
	}
	w.b = append(w.b, '}')
}

// heredocBodyEnd returns the start of the closing delimiter line of a heredoc, if the source
// text ending where mvdan ends the body is that delimiter line.
func (w *writer) heredocBodyEnd(r *syntax.Redirect) (syntax.Pos, bool) {
	if r.Word == nil || (r.Op != syntax.Hdoc && r.Op != syntax.DashHdoc) {
		return syntax.Pos{}, false
	}
	end := r.Hdoc.End()
	e := int(end.Offset())
	if e > len(w.src) || e < int(r.Hdoc.Pos().Offset()) {
		return syntax.Pos{}, false
	}
	nl := strings.LastIndexByte(w.src[:e], '\n')
	if nl < 0 {
		return syntax.Pos{}, false
	}
	line := w.src[nl+1 : e]
	if r.Op == syntax.DashHdoc {
		line = strings.TrimLeft(line, "\t")
	}
	if line != unquotedDelimiter(r.Word) {
		return syntax.Pos{}, false
	}
	return syntax.NewPos(uint(nl+1), end.Line(), 1), true
}

// unquotedDelimiter is the heredoc delimiter with quoting removed, as the parser compares it.
func unquotedDelimiter(word *syntax.Word) string {
	var b strings.Builder
	var add func(part syntax.WordPart, inQuotes bool)
	add = func(part syntax.WordPart, inQuotes bool) {
		switch x := part.(type) {
		case *syntax.Lit:
			for i := 0; i < len(x.Value); i++ {
				if c := x.Value[i]; c == '\\' && !inQuotes {
					if i++; i < len(x.Value) {
						b.WriteByte(x.Value[i])
					}
				} else {
					b.WriteByte(c)
				}
			}
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, p := range x.Parts {
				add(p, true)
			}
		}
	}
	for _, part := range word.Parts {
		add(part, false)
	}
	return b.String()
}

func (w *writer) command(c syntax.Command) {
	w.b = append(w.b, '{')
	switch x := c.(type) {
	case *syntax.CallExpr:
		w.span("CallExpr", x.Pos(), x.End())
		w.str(`,"assigns":`)
		w.assigns(x.Assigns)
		w.str(`,"args":`)
		w.words(x.Args)
	case *syntax.IfClause:
		w.ifClause(x)
	case *syntax.WhileClause:
		w.span("WhileClause", x.Pos(), x.End())
		w.str(`,"until":`)
		w.bool(x.Until)
		w.str(`,"cond":`)
		w.stmts(x.Cond)
		w.str(`,"do":`)
		w.stmts(x.Do)
	case *syntax.ForClause:
		w.span("ForClause", x.Pos(), x.End())
		if it, ok := x.Loop.(*syntax.WordIter); ok {
			w.str(`,"name":`)
			w.quote(it.Name.Value)
			w.str(`,"items":`)
			if it.InPos.IsValid() {
				w.words(it.Items)
			} else {
				w.str("null")
			}
		} else {
			w.str(`,"name":null,"items":null`)
		}
		w.str(`,"do":`)
		w.stmts(x.Do)
	case *syntax.CaseClause:
		w.span("CaseClause", x.Pos(), x.End())
		w.str(`,"word":`)
		w.word(x.Word)
		w.str(`,"items":[`)
		for i, ci := range x.Items {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = append(w.b, '{')
			w.span("CaseItem", ci.Pos(), ci.End())
			w.str(`,"patterns":`)
			w.words(ci.Patterns)
			w.str(`,"op":`)
			w.quote(ci.Op.String())
			w.str(`,"stmts":`)
			w.stmts(ci.Stmts)
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, ']')
	case *syntax.Block:
		w.span("Block", x.Pos(), x.End())
		w.str(`,"stmts":`)
		w.stmts(x.Stmts)
	case *syntax.Subshell:
		w.span("Subshell", x.Pos(), x.End())
		w.str(`,"stmts":`)
		w.stmts(x.Stmts)
	case *syntax.BinaryCmd:
		w.span("BinaryCmd", x.Pos(), x.End())
		w.str(`,"op":`)
		w.quote(x.Op.String())
		w.str(`,"x":`)
		w.stmt(x.X)
		w.str(`,"y":`)
		w.stmt(x.Y)
	case *syntax.FuncDecl:
		w.span("FuncDecl", x.Pos(), x.End())
		w.str(`,"name":`)
		w.quote(x.Name.Value)
		w.str(`,"body":`)
		w.stmt(x.Body)
	case *syntax.DeclClause:
		w.span("DeclClause", x.Pos(), x.End())
		w.str(`,"variant":`)
		w.quote(x.Variant.Value)
		w.str(`,"args":`)
		w.assigns(x.Args)
	case *syntax.TimeClause:
		w.span("TimeClause", x.Pos(), x.End())
		w.str(`,"stmt":`)
		w.stmtOrNull(x.Stmt)
	case *syntax.CoprocClause:
		w.span("CoprocClause", x.Pos(), x.End())
		w.str(`,"stmt":`)
		w.stmt(x.Stmt)
	case *syntax.TestClause:
		w.span("TestClause", x.Pos(), x.End())
	case *syntax.ArithmCmd:
		w.span("ArithmCmd", x.Pos(), x.End())
	case *syntax.LetClause:
		w.span("LetClause", x.Pos(), x.End())
	case *syntax.TestDecl:
		w.span("Other", x.Pos(), x.End())
		w.str(`,"kind":"TestDecl"`)
	default:
		w.span("Other", c.Pos(), c.End())
		w.str(`,"kind":`)
		w.quote(strings.TrimPrefix(fmt.Sprintf("%T", c), "*syntax."))
	}
	w.b = append(w.b, '}')
}

// ifClause writes the fields of an IfClause (inside the braces opened by command); the
// elif/else chain nests through "else".
func (w *writer) ifClause(x *syntax.IfClause) {
	w.span("IfClause", x.Pos(), x.End())
	w.str(`,"cond":`)
	w.stmts(x.Cond)
	w.str(`,"then":`)
	w.stmts(x.Then)
	w.str(`,"else":`)
	if x.Else == nil {
		w.str("null")
	} else {
		w.b = append(w.b, '{')
		w.ifClause(x.Else)
		w.b = append(w.b, '}')
	}
}

func (w *writer) assigns(list []*syntax.Assign) {
	w.b = append(w.b, '[')
	for i, a := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = append(w.b, '{')
		w.span("Assign", a.Pos(), a.End())
		w.str(`,"name":`)
		if a.Name != nil {
			w.quote(a.Name.Value)
		} else {
			// A DeclClause argument that is not a name: an option (`-r`) or an expansion.
			w.str(`""`)
		}
		w.str(`,"value":`)
		w.wordOrNull(a.Value)
		w.str(`,"append":`)
		w.bool(a.Append)
		w.str(`,"array":`)
		w.bool(a.Array != nil)
		w.str(`,"naked":`)
		w.bool(a.Naked)
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, ']')
}

// ---- words ----

func (w *writer) words(list []*syntax.Word) {
	w.b = append(w.b, '[')
	n := 0
	for _, x := range list {
		if x == nil || len(x.Parts) == 0 {
			continue
		}
		if n > 0 {
			w.b = append(w.b, ',')
		}
		w.word(x)
		n++
	}
	w.b = append(w.b, ']')
}

func (w *writer) wordOrNull(x *syntax.Word) {
	if x == nil || len(x.Parts) == 0 {
		w.str("null")
		return
	}
	w.word(x)
}

func (w *writer) word(x *syntax.Word) {
	w.b = append(w.b, '{')
	w.span("Word", x.Pos(), x.End())
	w.str(`,"parts":`)
	w.parts(x.Parts)
	w.b = append(w.b, '}')
}

func (w *writer) parts(list []syntax.WordPart) {
	w.b = append(w.b, '[')
	for i, p := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.part(p)
	}
	w.b = append(w.b, ']')
}

func (w *writer) part(p syntax.WordPart) {
	w.b = append(w.b, '{')
	switch x := p.(type) {
	case *syntax.Lit:
		w.span("Lit", x.Pos(), x.End())
		w.str(`,"value":`)
		v := x.Value
		if w.clipping && x.End().Offset() > w.clip.Offset() {
			// The last line of a <<- body: mvdan keeps the tabs that indent the delimiter.
			if t := strings.TrimRight(v, "\t"); strings.HasSuffix(t, "\n") {
				v = t
			}
		}
		w.quote(v)
	case *syntax.SglQuoted:
		w.span("SglQuoted", x.Pos(), x.End())
		w.str(`,"value":`)
		w.quote(x.Value)
		w.str(`,"dollar":`)
		w.bool(x.Dollar)
	case *syntax.DblQuoted:
		w.span("DblQuoted", x.Pos(), x.End())
		w.str(`,"parts":`)
		w.parts(x.Parts)
		w.str(`,"dollar":`)
		w.bool(x.Dollar)
	case *syntax.ParamExp:
		w.paramExp(x)
	case *syntax.CmdSubst:
		w.span("CmdSubst", x.Pos(), x.End())
		w.str(`,"stmts":`)
		w.stmts(x.Stmts)
		w.str(`,"backquotes":`)
		w.bool(x.Backquotes)
	case *syntax.ArithmExp:
		w.span("ArithmExp", x.Pos(), x.End())
	case *syntax.ProcSubst:
		w.span("ProcSubst", x.Pos(), x.End())
		w.str(`,"op":`)
		w.quote(x.Op.String())
		w.str(`,"stmts":`)
		w.stmts(x.Stmts)
	case *syntax.ExtGlob:
		w.span("ExtGlob", x.Pos(), x.End())
		w.str(`,"op":`)
		w.quote(x.Op.String())
		w.str(`,"pattern":`)
		if x.Pattern != nil {
			w.quote(x.Pattern.Value)
		} else {
			w.str(`""`)
		}
	case *syntax.BraceExp:
		w.span("Other", x.Pos(), x.End())
		w.str(`,"kind":"BraceExp"`)
	default:
		w.span("Other", p.Pos(), p.End())
		w.str(`,"kind":`)
		w.quote(strings.TrimPrefix(fmt.Sprintf("%T", p), "*syntax."))
	}
	w.b = append(w.b, '}')
}

func (w *writer) paramExp(x *syntax.ParamExp) {
	w.span("ParamExp", x.Pos(), x.End())
	w.str(`,"param":`)
	if x.Param != nil {
		w.quote(x.Param.Value)
	} else {
		w.str(`""`)
	}
	w.str(`,"short":`)
	w.bool(x.Short)
	w.str(`,"length":`)
	w.bool(x.Length)
	w.str(`,"excl":`)
	w.bool(x.Excl)
	w.str(`,"index":`)
	if x.Index != nil {
		w.quote(w.source(x.Index.Pos(), x.Index.End()))
	} else {
		w.str("null")
	}
	w.str(`,"op":`)
	switch {
	case x.Exp != nil:
		w.quote(x.Exp.Op.String())
		w.str(`,"word":`)
		w.wordOrNull(x.Exp.Word)
	case x.Repl != nil:
		if x.Repl.All {
			w.str(`"//"`)
		} else {
			w.str(`"/"`)
		}
		w.str(`,"word":`)
		w.wordOrNull(x.Repl.Orig)
	case x.Slice != nil:
		w.str(`":","word":null`)
	case x.Names != 0:
		// ${!prefix*} / ${!prefix@}
		w.quote(x.Names.String())
		w.str(`,"word":null`)
	default:
		w.str(`null,"word":null`)
	}
}

// source returns the source text between two positions, or "" if they are not usable.
func (w *writer) source(p, e syntax.Pos) string {
	a, b := int(p.Offset()), int(e.Offset())
	if !p.IsValid() || !e.IsValid() || a > b || b > len(w.src) {
		return ""
	}
	return w.src[a:b]
}

// ---- comments ----

type comment struct {
	pos  syntax.Pos
	text string
}

type byOffset []comment

func (c byOffset) Len() int           { return len(c) }
func (c byOffset) Less(i, j int) bool { return c[i].pos.Offset() < c[j].pos.Offset() }
func (c byOffset) Swap(i, j int)      { c[i], c[j] = c[j], c[i] }

// comments writes every comment of the file, in source order. syntax.Walk visits the comments
// attached anywhere in the tree (statements, "Last" lists, case items, array elements). The
// *Comment it passes may point to a reused loop variable, so the values are copied.
func (w *writer) comments(f *syntax.File) {
	var list []comment
	syntax.Walk(f, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.Comment); ok {
			list = append(list, comment{c.Hash, c.Text})
		}
		return true
	})
	if !sort.IsSorted(byOffset(list)) {
		sort.Stable(byOffset(list))
	}
	w.b = append(w.b, '[')
	for i, c := range list {
		if i > 0 && c.pos == list[i-1].pos {
			continue
		}
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.str(`{"p":`)
		w.pos(c.pos)
		w.str(`,"text":`)
		w.quote(c.text)
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, ']')
}
