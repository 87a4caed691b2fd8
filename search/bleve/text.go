package bleveindex

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/search/query"
)

// maxWords bounds the work one search box can ask for.
const maxWords = 8

// textQuery builds the keyword part of a search, or nil when text holds no
// word worth searching (blank, or only words like "the" and "for").
//
// Each word must match at least one text field, either as its English stem
// (which scores highest), with a typo or two, or, for the last word, as the
// start of a longer word. Queries of four or more words may miss one.
func textQuery(idx bleve.Index, text string) query.Query {
	words := searchWords(idx, text)
	if len(words) == 0 {
		return nil
	}

	clauses := make([]query.Query, len(words))
	for n, w := range words {
		clauses[n] = wordQuery(w, n == len(words)-1)
	}
	if len(clauses) == 1 {
		return clauses[0]
	}
	all := bleve.NewDisjunctionQuery(clauses...)
	all.SetMin(float64(required(len(clauses))))
	return all
}

// required is how many of n words a document must match.
func required(n int) int {
	if n <= 3 {
		return n
	}
	return n - 1
}

// searchWords splits text into lower-case words, dropping English stop
// words, which the stemmed fields never hold.
func searchWords(idx bleve.Index, text string) []string {
	analyzer := idx.Mapping().AnalyzerNamed(en.AnalyzerName)
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	})

	var words []string
	for _, w := range fields {
		w = strings.Trim(w, "'’")
		if w == "" || len(analyzer.Analyze([]byte(w))) == 0 {
			continue
		}
		words = append(words, w)
		if len(words) == maxWords {
			break
		}
	}
	return words
}

// wordQuery matches one word in any text field: as its stem in each
// stemmed field, and with typos or as a prefix in the unstemmed ones.
//
// Each part names its analyser: Bleve would otherwise look the unstemmed
// fields up by path, fail (they share their paths with the stemmed ones)
// and stem the typed word, so that "constuction" became "constuct", too
// far from the "construction" the unstemmed field holds.
func wordQuery(w string, last bool) query.Query {
	either := bleve.NewDisjunctionQuery()
	for _, f := range textFields {
		stem := bleve.NewMatchQuery(w)
		stem.SetField(f.name)
		stem.Analyzer = en.AnalyzerName
		stem.SetBoost(2 * f.boost)
		either.AddQuery(stem)
	}

	runes := utf8.RuneCountInString(w)
	fuzziness := typos(runes)
	for _, f := range plainFields {
		if fuzziness > 0 {
			fuzzy := bleve.NewMatchQuery(w)
			fuzzy.SetField(f.name)
			fuzzy.Analyzer = plainAnalyzer
			fuzzy.SetFuzziness(fuzziness)
			fuzzy.SetBoost(f.boost)
			either.AddQuery(fuzzy)
		}
		if last && runes >= 3 {
			prefix := bleve.NewPrefixQuery(w)
			prefix.SetField(f.name)
			prefix.SetBoost(f.boost / 2)
			either.AddQuery(prefix)
		}
	}
	return either
}

// typos is how many typing mistakes a word of n letters may hold and still
// match: none under 4, one up to 7, two from 8.
func typos(n int) int {
	switch {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}
