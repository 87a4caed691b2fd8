package app

// Money is whole pence in an int64, everywhere: parsed from what people
// type and shown back without ever passing through a float.

import (
	"strconv"
	"strings"
)

// MaxPoundsPence is the largest amount ParsePounds accepts: £100,000,000.
// Anything bigger is a typing mistake, and stays far from int64 overflow.
const MaxPoundsPence int64 = 100_000_000_00

// poundsProblem says what is wrong with a typed amount.
type poundsProblem int

const (
	poundsOK poundsProblem = iota
	poundsEmpty
	poundsNegative
	poundsNotNumber
	poundsFraction
	poundsTooLarge
)

// ParsePounds reads an amount of money as people type it: "19.99",
// "£19.99", "1,000.10", "£1,000", "0.01", "5" or "5.5" (£5.50). It returns
// whole pence. Fractions of a penny ("1.999"), negative amounts, amounts
// over MaxPoundsPence and anything that is not a number are EInvalid with
// a plain sentence.
func ParsePounds(s string) (int64, error) {
	pence, problem := parsePence(s)
	if problem == poundsOK {
		return pence, nil
	}
	return 0, Errorf(EInvalid, "%s", poundsMessage(problem, "The amount"))
}

// poundsMessage is a sentence about problem, naming the amount as what
// ("The goal").
func poundsMessage(problem poundsProblem, what string) string {
	switch problem {
	case poundsEmpty:
		return "Enter an amount in pounds, like 19.99."
	case poundsNegative:
		return what + " cannot be negative."
	case poundsFraction:
		return what + " must be in whole pence: use at most two figures after the point, like 19.99."
	case poundsTooLarge:
		return what + " is too large: the most Encounters takes is " + FormatPence(MaxPoundsPence) + "."
	}
	return what + " must be an amount in pounds and pence, like 19.99 or £1,000."
}

// parsePence does the work of ParsePounds, reporting what is wrong.
func parsePence(s string) (int64, poundsProblem) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, poundsEmpty
	}
	if strings.HasPrefix(s, "-") {
		return 0, poundsNegative
	}
	s = strings.TrimSpace(strings.TrimPrefix(s, "£"))
	if strings.HasPrefix(s, "-") {
		return 0, poundsNegative
	}

	whole, frac, point := strings.Cut(s, ".")
	whole, ok := ungroup(whole)
	if !ok || (point && !allDigits(frac)) || (whole == "" && frac == "") {
		return 0, poundsNotNumber
	}
	if len(frac) > 2 {
		if strings.Trim(frac[2:], "0") != "" {
			return 0, poundsFraction
		}
		frac = frac[:2]
	}
	return penceOf(whole, frac)
}

// penceOf turns checked digits of pounds and of pence (at most two) into
// pence.
func penceOf(whole, frac string) (int64, poundsProblem) {
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 12 {
		return 0, poundsTooLarge
	}

	var pounds, pence int64
	if whole != "" {
		pounds, _ = strconv.ParseInt(whole, 10, 64) // at most 12 digits
	}
	if frac != "" {
		pence, _ = strconv.ParseInt((frac + "0")[:2], 10, 64)
	}
	total := pounds*100 + pence
	if total > MaxPoundsPence {
		return 0, poundsTooLarge
	}
	return total, poundsOK
}

// ungroup removes thousands separators from whole pounds, which must be
// digits, or digits in groups of three after the first ("1,000,000").
func ungroup(s string) (string, bool) {
	if !strings.Contains(s, ",") {
		return s, s == "" || allDigits(s)
	}

	groups := strings.Split(s, ",")
	first := groups[0]
	if first == "" || len(first) > 3 || !allDigits(first) {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatPence shows pence as pounds with thousands separators and two
// figures of pence: 100010 is "£1,000.10", -250 is "-£2.50".
func FormatPence(p int64) string {
	sign, pounds, pence := splitPence(p)
	return sign + "£" + groupThousands(strconv.FormatUint(pounds, 10)) + "." + twoDigits(pence)
}

// PoundsString shows pence as a plain decimal amount of pounds, as forms
// and spreadsheets take it: 100010 is "1000.10", 5 is "0.05".
func PoundsString(p int64) string {
	sign, pounds, pence := splitPence(p)
	return sign + strconv.FormatUint(pounds, 10) + "." + twoDigits(pence)
}

// splitPence splits p into its sign, whole pounds and remaining pence,
// working unsigned so that even the most negative int64 is shown right.
func splitPence(p int64) (sign string, pounds, pence uint64) {
	u := uint64(p)
	if p < 0 {
		sign, u = "-", -u
	}
	return sign, u / 100, u % 100
}

func twoDigits(n uint64) string {
	if n < 10 {
		return "0" + strconv.FormatUint(n, 10)
	}
	return strconv.FormatUint(n, 10)
}

// groupThousands puts a comma between each group of three digits.
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// checkPounds parses an amount typed into field, naming it what in
// messages ("The goal"), and checks it lies within [min, max] pence. An
// empty amount is refused when required and otherwise gives def.
func checkPounds(p *Problems, field, what, s string, required bool, def, min, max int64) int64 {
	pence, problem := parsePence(s)
	switch {
	case problem == poundsEmpty && !required:
		return def
	case problem == poundsEmpty:
		p.Add(field, "Enter %s in pounds, like 19.99.", strings.ToLower(what[:1])+what[1:])
		return 0
	case problem != poundsOK:
		p.Add(field, "%s", poundsMessage(problem, what))
		return 0
	case pence < min:
		p.Add(field, "%s must be at least %s.", what, FormatPence(min))
	case pence > max:
		p.Add(field, "%s must be no more than %s.", what, FormatPence(max))
	}
	return pence
}
