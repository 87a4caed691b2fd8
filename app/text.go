package app

import (
	"strings"
	"unicode"
)

// What people type is shown on pages, in emails, in calendar entries and
// in spreadsheets. A field shown on one line (a name, a title) holds no
// line break; no field holds a character that does not show: a control
// character such as NUL, or a format character such as a text-direction
// override or a zero-width space, which can make text read in another
// order than it is stored or hide what it says. The joiners that some
// scripts and emoji need (U+200C, U+200D) are allowed.

// lineProblem is the sentence for a one-line field, labelled label, that
// holds a line break, a tab or a character that does not show; "" when
// it holds none.
func lineProblem(label, s string) string {
	switch {
	case hasLineBreak(s):
		return label + " must be on one line: take out the line breaks."
	case strings.IndexFunc(s, hiddenRune) >= 0:
		return label + " has a character that does not show, such as a tab or a text-direction mark: take it out."
	}
	return ""
}

// textProblem is the sentence for a field of several lines, labelled
// label, that holds a character that does not show other than line
// breaks and tabs; "" when it holds none.
func textProblem(label, s string) string {
	hidden := func(r rune) bool { return r != '\n' && r != '\r' && r != '\t' && hiddenRune(r) }
	if strings.IndexFunc(s, hidden) >= 0 {
		return label + " has a character that does not show, such as a text-direction mark: take it out."
	}
	return ""
}

// checkLineChars adds lineProblem to field unless the field has a problem
// already.
func checkLineChars(p *Problems, field, label, s string) {
	if msg := lineProblem(label, s); msg != "" && !p.Has(field) {
		p.Add(field, "%s", msg)
	}
}

// checkTextChars adds textProblem to field unless the field has a problem
// already.
func checkTextChars(p *Problems, field, label, s string) {
	if msg := textProblem(label, s); msg != "" && !p.Has(field) {
		p.Add(field, "%s", msg)
	}
}

// hasLineBreak reports whether s breaks a line anywhere.
func hasLineBreak(s string) bool {
	return strings.ContainsAny(s, "\n\r\v\f\u0085\u2028\u2029")
}

// hiddenRune reports whether r is a control or format character other
// than the joiners.
func hiddenRune(r rune) bool {
	return unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d')
}
