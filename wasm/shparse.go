//go:build js && wasm

// Command shparse exposes mvdan.cc/sh/v3/syntax to JavaScript as one global function,
// __dockerlintShParse(source, dialect). It encodes the compact AST of src/parsers/shell-ast.ts
// as a stream of little-endian uint32 words in a buffer in the module's memory and returns the
// buffer's address; src/parsers/shell.ts reads the words in place (no copy, no JSON) and builds
// the AST objects.
//
// The encoding (both sides must agree; shell.ts has the reader):
//
//   header    total words, address of the string bytes, their length, then 1 (ok) or 0 (error)
//   ok        stmts, comments
//   error     str message, pos, incomplete (0/1)
//   pos       one word: the byte offset, or 0xffffffff for no position. Lines and columns are
//             not sent: the reader computes them from the source.
//   str       two words: [start, end) byte offsets into the source when the value is that slice
//             of it (nearly always: names, literals, operators); otherwise 0x80000000|offset and
//             length in the string bytes; 0xffffffff, 0 for null.
//   list      a count, then the elements.
//   node      its fields in the order of shell-ast.ts; a command or word part starts with a tag
//             (cmd* and part* below), an optional node (word, else branch) with 0 or 1.
//
// Build with scripts/build-wasm.sh.
package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"syscall/js"
	"unsafe"

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

// Tags of commands and word parts.
const (
	cmdNull uint32 = iota
	cmdCall
	cmdIf
	cmdWhile
	cmdFor
	cmdCase
	cmdBlock
	cmdSubshell
	cmdBinary
	cmdFunc
	cmdDecl
	cmdTime
	cmdCoproc
	cmdTest
	cmdArithm
	cmdLet
	cmdOther
)

const (
	partLit uint32 = iota + 1
	partSgl
	partDbl
	partParam
	partCmdSubst
	partArithm
	partProcSubst
	partExtGlob
	partOther
)

const (
	noPos    = 0xffffffff
	inline   = 0x80000000
	nullStr  = 0xffffffff
	hdrWords = 4
)

// The output buffers are reused between calls: JavaScript reads them in place after the call
// returns, before the next one.
var (
	outWords = make([]uint32, 0, 16*1024)
	outStrs  = make([]byte, 0, 1024)
)

// parse returns the address of the encoded result.
func parse(src, dialect string) (result int) {
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
	w := newWriter(src, 1)
	w.stmts(f.Stmts)
	w.comments(f)
	return w.finish()
}

func errorResult(message string, pos syntax.Pos, incomplete bool) int {
	w := newWriter("", 0)
	w.inline(message)
	if pos.IsValid() {
		w.pos(pos)
	} else {
		w.word(0)
	}
	w.bool(incomplete)
	return w.finish()
}

// writer appends the encoding to b (words) and s (string bytes).
type writer struct {
	b   []uint32
	s   []byte
	src string
	// While clipping, positions after clip are written as clip (see heredocBodyEnd).
	clip     syntax.Pos
	clipping bool
}

func newWriter(src string, kind uint32) *writer {
	w := &writer{b: outWords[:0], s: outStrs[:0], src: src}
	w.b = append(w.b, 0, 0, 0, kind)
	return w
}

// finish fills in the header, keeps the buffers for the next call and returns the address.
func (w *writer) finish() int {
	w.b[0] = uint32(len(w.b))
	if len(w.s) > 0 {
		w.b[1] = uint32(uintptr(unsafe.Pointer(&w.s[0])))
	}
	w.b[2] = uint32(len(w.s))
	outWords, outStrs = w.b, w.s
	addr := int(uintptr(unsafe.Pointer(&w.b[0])))
	// Do not keep a huge buffer alive after this call (JavaScript still reads this one: the
	// garbage collector does not run before the next call).
	if cap(outWords) > 4*1024*1024 {
		outWords = make([]uint32, 0, 16*1024)
	}
	if cap(outStrs) > 4*1024*1024 {
		outStrs = make([]byte, 0, 1024)
	}
	return addr
}

func (w *writer) word(v uint32) { w.b = append(w.b, v) }

func (w *writer) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// placeholder reserves a word for a count written later with setCount.
func (w *writer) placeholder() int {
	w.b = append(w.b, 0)
	return len(w.b) - 1
}

func (w *writer) setCount(at int, n int) { w.b[at] = uint32(n) }

func (w *writer) pos(p syntax.Pos) {
	if !p.IsValid() {
		w.b = append(w.b, noPos)
		return
	}
	w.b = append(w.b, uint32(p.Offset()))
}

// span writes the start and end positions of a node.
func (w *writer) span(p, e syntax.Pos) {
	if w.clipping {
		if p.Offset() > w.clip.Offset() {
			p = w.clip
		}
		if e.Offset() > w.clip.Offset() {
			e = w.clip
		}
	}
	w.pos(p)
	w.pos(e)
}

// strAt writes v as a slice of the source when the source holds it at byte offset at, and
// inline otherwise.
func (w *writer) strAt(at syntax.Pos, v string) {
	if at.IsValid() {
		off := int(at.Offset())
		if end := off + len(v); end <= len(w.src) && w.src[off:end] == v {
			w.b = append(w.b, uint32(off), uint32(end))
			return
		}
	}
	w.inline(v)
}

func (w *writer) inline(v string) {
	w.b = append(w.b, inline|uint32(len(w.s)), uint32(len(v)))
	w.s = append(w.s, v...)
}

func (w *writer) null() { w.b = append(w.b, nullStr, 0) }

// ---- statements and commands ----

func (w *writer) stmts(list []*syntax.Stmt) {
	w.b = append(w.b, uint32(len(list)))
	for _, s := range list {
		w.stmt(s)
	}
}

func (w *writer) stmt(s *syntax.Stmt) {
	w.span(s.Pos(), s.End())
	if s.Cmd == nil {
		w.word(cmdNull)
	} else {
		w.command(s.Cmd)
	}
	var flags uint32
	if s.Negated {
		flags |= 1
	}
	if s.Background {
		flags |= 2
	}
	w.word(flags)
	w.b = append(w.b, uint32(len(s.Redirs)))
	for _, r := range s.Redirs {
		w.redirect(r)
	}
}

func (w *writer) redirect(r *syntax.Redirect) {
	end := r.OpPos
	if r.Hdoc != nil && len(r.Hdoc.Parts) > 0 {
		end = r.Hdoc.End()
	} else if r.Word != nil && len(r.Word.Parts) > 0 {
		end = r.Word.End()
	}
	w.span(r.Pos(), end)
	w.strAt(r.OpPos, r.Op.String())
	if r.N != nil {
		w.strAt(r.N.ValuePos, r.N.Value)
	} else {
		w.null()
	}
	w.wordOrNull(r.Word)
	if r.Hdoc != nil && len(r.Hdoc.Parts) > 0 {
		w.word(1)
		// mvdan ends the body (its last part) after the closing delimiter line; end it where
		// that line starts instead, so that the span of hdoc is the body only.
		if bodyEnd, ok := w.heredocBodyEnd(r); ok {
			w.clip, w.clipping = bodyEnd, true
			w.shWord(r.Hdoc)
			w.clipping = false
		} else {
			w.shWord(r.Hdoc)
		}
	} else {
		w.word(0)
	}
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
	switch x := c.(type) {
	case *syntax.CallExpr:
		w.word(cmdCall)
		w.span(x.Pos(), x.End())
		w.assigns(x.Assigns)
		w.words(x.Args)
	case *syntax.IfClause:
		w.word(cmdIf)
		w.ifClause(x)
	case *syntax.WhileClause:
		w.word(cmdWhile)
		w.span(x.Pos(), x.End())
		w.bool(x.Until)
		w.stmts(x.Cond)
		w.stmts(x.Do)
	case *syntax.ForClause:
		w.word(cmdFor)
		w.span(x.Pos(), x.End())
		if it, ok := x.Loop.(*syntax.WordIter); ok {
			w.strAt(it.Name.ValuePos, it.Name.Value)
			if it.InPos.IsValid() {
				w.word(1)
				w.words(it.Items)
			} else {
				w.word(0)
			}
		} else {
			w.null()
			w.word(0)
		}
		w.stmts(x.Do)
	case *syntax.CaseClause:
		w.word(cmdCase)
		w.span(x.Pos(), x.End())
		w.shWord(x.Word)
		w.b = append(w.b, uint32(len(x.Items)))
		for _, ci := range x.Items {
			w.span(ci.Pos(), ci.End())
			w.words(ci.Patterns)
			w.strAt(ci.OpPos, ci.Op.String())
			w.stmts(ci.Stmts)
		}
	case *syntax.Block:
		w.word(cmdBlock)
		w.span(x.Pos(), x.End())
		w.stmts(x.Stmts)
	case *syntax.Subshell:
		w.word(cmdSubshell)
		w.span(x.Pos(), x.End())
		w.stmts(x.Stmts)
	case *syntax.BinaryCmd:
		w.word(cmdBinary)
		w.span(x.Pos(), x.End())
		w.strAt(x.OpPos, x.Op.String())
		w.stmt(x.X)
		w.stmt(x.Y)
	case *syntax.FuncDecl:
		w.word(cmdFunc)
		w.span(x.Pos(), x.End())
		w.strAt(x.Name.ValuePos, x.Name.Value)
		w.stmt(x.Body)
	case *syntax.DeclClause:
		w.word(cmdDecl)
		w.span(x.Pos(), x.End())
		w.strAt(x.Variant.ValuePos, x.Variant.Value)
		w.assigns(x.Args)
	case *syntax.TimeClause:
		w.word(cmdTime)
		w.span(x.Pos(), x.End())
		if x.Stmt == nil {
			w.word(0)
		} else {
			w.word(1)
			w.stmt(x.Stmt)
		}
	case *syntax.CoprocClause:
		w.word(cmdCoproc)
		w.span(x.Pos(), x.End())
		w.stmt(x.Stmt)
	case *syntax.TestClause:
		w.word(cmdTest)
		w.span(x.Pos(), x.End())
	case *syntax.ArithmCmd:
		w.word(cmdArithm)
		w.span(x.Pos(), x.End())
	case *syntax.LetClause:
		w.word(cmdLet)
		w.span(x.Pos(), x.End())
	case *syntax.TestDecl:
		w.word(cmdOther)
		w.span(x.Pos(), x.End())
		w.inline("TestDecl")
	default:
		w.word(cmdOther)
		w.span(c.Pos(), c.End())
		w.inline(strings.TrimPrefix(fmt.Sprintf("%T", c), "*syntax."))
	}
}

// ifClause writes the fields of an IfClause; the elif/else chain nests through else.
func (w *writer) ifClause(x *syntax.IfClause) {
	w.span(x.Pos(), x.End())
	w.stmts(x.Cond)
	w.stmts(x.Then)
	if x.Else == nil {
		w.word(0)
	} else {
		w.word(1)
		w.ifClause(x.Else)
	}
}

func (w *writer) assigns(list []*syntax.Assign) {
	w.b = append(w.b, uint32(len(list)))
	for _, a := range list {
		w.span(a.Pos(), a.End())
		if a.Name != nil {
			w.strAt(a.Name.ValuePos, a.Name.Value)
		} else {
			// A DeclClause argument that is not a name: an option (`-r`) or an expansion.
			w.inline("")
		}
		w.wordOrNull(a.Value)
		var flags uint32
		if a.Append {
			flags |= 1
		}
		if a.Array != nil {
			flags |= 2
		}
		if a.Naked {
			flags |= 4
		}
		w.word(flags)
	}
}

// ---- words ----

func (w *writer) words(list []*syntax.Word) {
	at := w.placeholder()
	n := 0
	for _, x := range list {
		if x == nil || len(x.Parts) == 0 {
			continue
		}
		w.shWord(x)
		n++
	}
	w.setCount(at, n)
}

func (w *writer) wordOrNull(x *syntax.Word) {
	if x == nil || len(x.Parts) == 0 {
		w.word(0)
		return
	}
	w.word(1)
	w.shWord(x)
}

func (w *writer) shWord(x *syntax.Word) {
	w.span(x.Pos(), x.End())
	w.parts(x.Parts)
}

func (w *writer) parts(list []syntax.WordPart) {
	w.b = append(w.b, uint32(len(list)))
	for _, p := range list {
		w.part(p)
	}
}

func (w *writer) part(p syntax.WordPart) {
	switch x := p.(type) {
	case *syntax.Lit:
		w.word(partLit)
		w.span(x.Pos(), x.End())
		v := x.Value
		if w.clipping && x.End().Offset() > w.clip.Offset() {
			// The last line of a <<- body: mvdan keeps the tabs that indent the delimiter.
			if t := strings.TrimRight(v, "\t"); strings.HasSuffix(t, "\n") {
				v = t
			}
		}
		w.strAt(x.ValuePos, v)
	case *syntax.SglQuoted:
		w.word(partSgl)
		w.span(x.Pos(), x.End())
		at := x.Left
		if at.IsValid() {
			at = posAddOffset(at, 1)
			if x.Dollar {
				at = posAddOffset(at, 1)
			}
		}
		w.strAt(at, x.Value)
		w.bool(x.Dollar)
	case *syntax.DblQuoted:
		w.word(partDbl)
		w.span(x.Pos(), x.End())
		w.parts(x.Parts)
		w.bool(x.Dollar)
	case *syntax.ParamExp:
		w.word(partParam)
		w.paramExp(x)
	case *syntax.CmdSubst:
		w.word(partCmdSubst)
		w.span(x.Pos(), x.End())
		w.stmts(x.Stmts)
		w.bool(x.Backquotes)
	case *syntax.ArithmExp:
		w.word(partArithm)
		w.span(x.Pos(), x.End())
		w.arithm(x.X)
	case *syntax.ProcSubst:
		w.word(partProcSubst)
		w.span(x.Pos(), x.End())
		w.strAt(x.OpPos, x.Op.String())
		w.stmts(x.Stmts)
	case *syntax.ExtGlob:
		w.word(partExtGlob)
		w.span(x.Pos(), x.End())
		w.strAt(x.OpPos, x.Op.String())
		if x.Pattern != nil {
			w.strAt(x.Pattern.ValuePos, x.Pattern.Value)
		} else {
			w.inline("")
		}
	case *syntax.BraceExp:
		w.word(partOther)
		w.span(x.Pos(), x.End())
		w.inline("BraceExp")
	default:
		w.word(partOther)
		w.span(p.Pos(), p.End())
		w.inline(strings.TrimPrefix(fmt.Sprintf("%T", p), "*syntax."))
	}
}

// Tags of an arithmetic expression (the tree inside $((...))).
const (
	arithmOther uint32 = iota
	arithmBinary
	arithmUnary
	arithmParen
	arithmWord
)

func (w *writer) arithm(x syntax.ArithmExpr) {
	switch x := x.(type) {
	case *syntax.BinaryArithm:
		w.word(arithmBinary)
		w.inline(x.Op.String())
		w.arithm(x.X)
		w.arithm(x.Y)
	case *syntax.UnaryArithm:
		w.word(arithmUnary)
		w.inline(x.Op.String())
		w.bool(x.Post)
		w.arithm(x.X)
	case *syntax.ParenArithm:
		w.word(arithmParen)
		w.arithm(x.X)
	case *syntax.Word:
		w.word(arithmWord)
		w.shWord(x)
	default:
		w.word(arithmOther)
	}
}

// posAddOffset is p moved n bytes to the right on the same line (only its offset is encoded).
func posAddOffset(p syntax.Pos, n uint) syntax.Pos {
	return syntax.NewPos(p.Offset()+n, p.Line(), p.Col()+n)
}

func (w *writer) paramExp(x *syntax.ParamExp) {
	w.span(x.Pos(), x.End())
	if x.Param != nil {
		w.strAt(x.Param.ValuePos, x.Param.Value)
	} else {
		w.inline("")
	}
	var flags uint32
	if x.Short {
		flags |= 1
	}
	if x.Length {
		flags |= 2
	}
	if x.Excl {
		flags |= 4
	}
	w.word(flags)
	if x.Index != nil {
		w.source(x.Index.Pos(), x.Index.End())
	} else {
		w.null()
	}
	switch {
	case x.Exp != nil:
		w.inline(x.Exp.Op.String())
		w.wordOrNull(x.Exp.Word)
	case x.Repl != nil:
		if x.Repl.All {
			w.inline("//")
		} else {
			w.inline("/")
		}
		w.wordOrNull(x.Repl.Orig)
	case x.Slice != nil:
		w.inline(":")
		w.word(0)
	case x.Names != 0:
		// ${!prefix*} / ${!prefix@}
		w.inline(x.Names.String())
		w.word(0)
	default:
		w.null()
		w.word(0)
	}
}

// source writes the source text between two positions, or "" if they are not usable.
func (w *writer) source(p, e syntax.Pos) {
	a, b := int(p.Offset()), int(e.Offset())
	if !p.IsValid() || !e.IsValid() || a > b || b > len(w.src) {
		w.inline("")
		return
	}
	w.b = append(w.b, uint32(a), uint32(b))
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
	at := w.placeholder()
	n := 0
	for i, c := range list {
		if i > 0 && c.pos == list[i-1].pos {
			continue
		}
		w.pos(c.pos)
		w.strAt(posAddOffset(c.pos, 1), c.text)
		n++
	}
	w.setCount(at, n)
}
