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
const schemaVersion = "encounters-offers-1"

// schemaKey is the internal key holding schemaVersion inside the index.
var schemaKey = []byte("encounters_schema")

// plainAnalyzer lower-cases words without stemming or stop words, so that
// typo-tolerant matching compares what people actually typed.
const plainAnalyzer = "encounters_plain"

// Field names inside the index.
const (
	fieldStarts    = "starts"     // unix seconds of every upcoming session
	fieldNextStart = "next_start" // unix seconds of the earliest one
	fieldLocation  = "location"   // geopoint
	fieldLat       = "lat"        // stored only, to work out distances
	fieldLon       = "lon"
	plainSuffix    = "_plain"
)

// textField is a field searched by keyword, with its weight.
type textField struct {
	name  string
	boost float64
}

// textFields are searched by keyword, most telling first.
var textFields = []textField{
	{"title", 3},
	{"org_name", 2},
	{"sector_label", 2},
	{"town", 1.5},
	{"description", 1},
}

// newMapping returns the explicit mapping of an offer document: keywords
// for ids and facets, English-analysed text (plus an unstemmed copy for
// fuzzy matching), numbers for session starts and a geopoint.
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
			textMapping(f.name+plainSuffix, plainAnalyzer))
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
