package gias

// knownTypes gives the type of establishment of County Durham's colleges
// whose type the 2022 extract leaves blank (it carries only the 2017 types,
// and these establishments are not in that subset). The types are those
// Get Information About Schools publishes for each URN. Without them the
// county's further education colleges would be read as schools, and could
// not book what colleges book, such as adult work trials.
var knownTypes = map[string]string{
	"130657": "Further education",             // Bishop Auckland College
	"130658": "Further education",             // Derwentside College
	"130659": "Further education",             // New College Durham
	"131859": "Further education",             // East Durham College
	"133812": "Higher education institutions", // University of Durham
}
