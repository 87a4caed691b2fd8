package bleveindex

import (
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/encounters/encounters/search"
)

// schemaVersion names the shape of the mapping below. An index on disk
// written with another version is rebuilt empty, and the caller reindexes.
// Version 2 added has_location and merged the unstemmed copies of the
// text fields other than the title into one.
const schemaVersion = "encounters-offers-2"

// schemaKey is the internal key holding schemaVersion inside the index.
var schemaKey = []byte("encounters_schema")

// plainAnalyzer lower-cases words without stemming or stop words, so that
// typo-tolerant matching compares what people actually typed.
const plainAnalyzer = "encounters_plain"

// Field names inside the index.
const (
	fieldStarts     = "starts"       // unix seconds of every upcoming session
	fieldNextStart  = "next_start"   // unix seconds of the earliest one
	fieldLocation   = "location"     // geopoint
	fieldLocated    = "has_location" // false for offers with no place
	fieldLat        = "lat"          // stored only, to work out distances
	fieldLon        = "lon"
	fieldTitlePlain = "title_plain" // the title, unstemmed
	fieldTextPlain  = "text_plain"  // every other text field, unstemmed
)

// textField is a field searched by keyword, with its weight, and the
// unstemmed field its words are copied into.
type textField struct {
	name  string
	boost float64
	plain string
}

// textFields are searched by keyword, most telling first.
var textFields = []textField{
	{"title", 3, fieldTitlePlain},
	{"org_name", 2, fieldTextPlain},
	{"sector_label", 2, fieldTextPlain},
	{"town", 1.5, fieldTextPlain},
	{"description", 1, fieldTextPlain},
}

// plainFields are the unstemmed fields that typo-tolerant and prefix
// matching search, with their weights. The title keeps its own, so that a
// mistyped title word still ranks first; the other fields share one, so
// that a mistyped word costs two Levenshtein automata rather than one per
// field, which was half the time of a keyword search.
var plainFields = []textField{
	{name: fieldTitlePlain, boost: 3},
	{name: fieldTextPlain, boost: 1.5},
}

// newMapping returns the explicit mapping of an offer document: keywords
// for ids and facets, English-analysed text (plus unstemmed copies for
// typo-tolerant and prefix matching), numbers for session starts, a
// geopoint and whether the offer has one.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	err := im.AddCustomAnalyzer(plainAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	})
	if err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = en.AnalyzerName
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	doc := bleve.NewDocumentStaticMapping()
	for _, f := range textFields {
		doc.AddFieldMappingsAt(f.name, textMapping(f.name, en.AnalyzerName),
			textMapping(f.plain, plainAnalyzer))
	}
	for _, name := range append([]string{"org_id"}, search.Facets...) {
		doc.AddFieldMappingsAt(name, keywordMapping())
	}
	doc.AddFieldMappingsAt(fieldStarts, numberMapping(false, false))
	doc.AddFieldMappingsAt(fieldNextStart, numberMapping(false, true))
	doc.AddFieldMappingsAt(fieldLat, storedMapping())
	doc.AddFieldMappingsAt(fieldLon, storedMapping())
	geo := bleve.NewGeoPointFieldMapping()
	geo.Store = false
	geo.IncludeInAll = false
	doc.AddFieldMappingsAt(fieldLocation, geo)
	located := bleve.NewBooleanFieldMapping()
	located.Store = false
	located.IncludeInAll = false
	located.DocValues = false
	doc.AddFieldMappingsAt(fieldLocated, located)
	im.DefaultMapping = doc
	return im, im.Validate()
}

func textMapping(name, analyzer string) *mapping.FieldMapping {
	fm := bleve.NewTextFieldMapping()
	fm.Name = name
	fm.Analyzer = analyzer

	fm.Store = false
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = false
	return fm
}

func keywordMapping() *mapping.FieldMapping {
	fm := bleve.NewKeywordFieldMapping()
	fm.Analyzer = keyword.Name
	fm.Store = false
	fm.IncludeInAll = false
	fm.IncludeTermVectors = false
	fm.DocValues = true
	return fm
}

func numberMapping(store, docValues bool) *mapping.FieldMapping {
	fm := bleve.NewNumericFieldMapping()
	fm.Store = store
	fm.IncludeInAll = false
	fm.DocValues = docValues
	return fm
}

func storedMapping() *mapping.FieldMapping {
	fm := numberMapping(true, false)
	fm.Index = false
	return fm
}

// record turns a document into the value Bleve walks. Empty values are
// left out so they never show up as facet values.
func record(d search.Document) map[string]any {
	r := map[string]any{}
	put := func(name, value string) {
		if value != "" {
			r[name] = value
		}
	}
	for name, value := range map[string]string{
		"title": d.Title, "org_name": d.OrgName, "sector_label": d.SectorLabel,
		"town": d.Town, "description": d.Description, "org_id": d.OrgID,
		search.FacetType: d.Type, search.FacetSector: d.Sector,
		search.FacetDelivery: d.Delivery,
	} {
		put(name, value)
	}
	putList(r, search.FacetAudience, d.Audience)
	putList(r, search.FacetAccess, d.Access)

	r[fieldLocated] = d.HasLocation
	if d.HasLocation {
		r[fieldLocation] = map[string]any{"lat": d.Lat, "lon": d.Lon}
		r[fieldLat], r[fieldLon] = d.Lat, d.Lon
	}
	if len(d.SessionStarts) > 0 {
		r[fieldStarts] = unixSeconds(d.SessionStarts)
		r[fieldNextStart] = earliest(d.SessionStarts)
	}
	return r
}

func putList(r map[string]any, name string, values []string) {
	var kept []string
	for _, v := range values {
		if v != "" {
			kept = append(kept, v)
		}
	}

	if len(kept) > 0 {
		r[name] = kept
	}
}

func unixSeconds(ts []time.Time) []float64 {
	out := make([]float64, len(ts))
	for i, t := range ts {
		out[i] = float64(t.Unix())
	}
	return out
}

func earliest(ts []time.Time) float64 {
	first := ts[0]
	for _, t := range ts[1:] {
		if t.Before(first) {
			first = t
		}
	}
	return float64(first.Unix())
}
