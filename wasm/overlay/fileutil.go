// Package fileutil stands in, in the shell parser's build only, for mvdan.cc/sh/v3/fileutil
// (scripts/build-wasm.sh passes it to `go build -overlay` in place of that package's file.go).
//
// Why: mvdan.cc/sh/v3/syntax imports fileutil for one call in its printer, which dockerlint never
// runs, and fileutil compiles two regular expressions when the package initialises: about 4.5 ms
// of CPU at every start of the WebAssembly module (Go's regexp compiler, first run under V8's
// baseline compiler), before the first script is parsed. This file declares only what syntax
// uses, Shebang, written without regexp and matching what the original's expression matches:
// `^#!\s?/(usr/)?bin/(env\s+)?(sh|bash|mksh|bats|zsh)(\s|$)`.
package fileutil

import "strings"

// isSpace is RE2's \s: tab, newline, form feed, carriage return, space.
func isSpace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

// Shebang returns the shell a "#!" line at the start of bs names ("sh" for "#!/bin/sh", "bash"
// for "#!/usr/bin/env bash"), or "" when bs does not start with one of those shells.
func Shebang(bs []byte) string {
	s := string(bs)
	if !strings.HasPrefix(s, "#!") {
		return ""
	}
	s = s[2:]
	if len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	if !strings.HasPrefix(s, "/") {
		return ""
	}
	s = strings.TrimPrefix(s[1:], "usr/")
	if !strings.HasPrefix(s, "bin/") {
		return ""
	}
	s = s[4:]
	if name := shellAt(s); name != "" {
		return name
	}
	if strings.HasPrefix(s, "env") && len(s) > 3 && isSpace(s[3]) {
		s = s[3:]
		for len(s) > 0 && isSpace(s[0]) {
			s = s[1:]
		}
		return shellAt(s)
	}
	return ""
}

// shellAt returns the shell name s starts with when a blank or the end follows it.
func shellAt(s string) string {
	for _, name := range []string{"sh", "bash", "mksh", "bats", "zsh"} {
		if strings.HasPrefix(s, name) && (len(s) == len(name) || isSpace(s[len(name)])) {
			return name
		}
	}
	return ""
}
