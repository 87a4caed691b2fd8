package app

import (
	"strings"
	"testing"
)

// TestTextRules checks which characters typed text may hold: one-line
// fields no line breaks, tabs or characters that do not show; longer text
// its line breaks and tabs, but nothing hidden.
func TestTextRules(t *testing.T) {
	cases := []struct {
		name     string
		s        string
		lineOK   bool
		textOK   bool
		lineWant string
	}{
		{"plain", "Careers talk at Kromek", true, true, ""},
		{"accents and Welsh", "Gŵyl yrfaoedd · Café Señor", true, true, ""},
		{"an emoji with joiners", "Family day 👨\u200d👩\u200d👧", true, true, ""},
		{"a line break", "Talk\nBcc: x@example.org", false, true, "must be on one line"},
		{"a tab", "Tab\there", false, true, "does not show"},
		{"NUL", "Zero\x00width", false, false, "does not show"},
		{"a right-to-left override", "Right\u202eleft", false, false, "text-direction mark"},
		{"a zero-width space", "Zero\u200bspace", false, false, "does not show"},
		{"a byte order mark", "\ufeffStart", false, false, "does not show"},
		{"a soft hyphen", "Soft\u00adhyphen", false, false, "does not show"},
		{"a word joiner", "Word\u2060joiner", false, false, "does not show"},
	}
	for _, tc := range cases {
		line, text := lineProblem("Title", tc.s), textProblem("Title", tc.s)
		if (line == "") != tc.lineOK || (text == "") != tc.textOK {
			t.Errorf("%s: one line %q, text %q; want one line ok %v, text ok %v", tc.name, line, text,
				tc.lineOK, tc.textOK)
		}
		if tc.lineWant != "" && !strings.Contains(line, tc.lineWant) {
			t.Errorf("%s: %q does not say %q", tc.name, line, tc.lineWant)
		}
	}
}
