package app

// Offer types.
const (
	TypeCareersTalk      = "careers_talk"
	TypeWorkplaceVisit   = "workplace_visit"
	TypeWorkExperience   = "work_experience"
	TypeTeacherPlacement = "teacher_placement"
	TypeAdultWorkTrial   = "adult_work_trial"
	TypeMentoring        = "mentoring"
	TypeCareersFair      = "careers_fair"
)

// OfferTypes lists every offer type with its label.
var OfferTypes = []Choice{
	{TypeCareersTalk, "Careers talk"},
	{TypeWorkplaceVisit, "Workplace visit"},
	{TypeWorkExperience, "Work experience"},
	{TypeTeacherPlacement, "Teacher industry placement"},
	{TypeAdultWorkTrial, "Adult work trial"},
	{TypeMentoring, "Mentoring"},
	{TypeCareersFair, "Careers fair"},
}

// Delivery modes.
const (
	DeliveryInPerson = "in_person"
	DeliveryVirtual  = "virtual"
	DeliveryHybrid   = "hybrid"
)

// Deliveries lists every delivery mode with its label.
var Deliveries = []Choice{
	{DeliveryInPerson, "In person"},
	{DeliveryVirtual, "Virtual"},
	{DeliveryHybrid, "Hybrid (in person or virtual)"},
}

// Access features a venue or session can offer and a request can need.
const (
	AccessStepFree = "step_free"
	AccessQuiet    = "quiet_space"
	AccessSEND     = "send_adjustments"
)

// AccessFeatures lists every access feature with its label.
var AccessFeatures = []Choice{
	{AccessStepFree, "Step-free access"},
	{AccessQuiet, "Quiet space"},
	{AccessSEND, "Adjustments for SEND"},
}

// Sectors is the fixed list of sectors, broadly the occupational routes
// used for T Levels and apprenticeships.
var Sectors = []Choice{
	{"agriculture", "Agriculture, environment and animal care"},
	{"business", "Business and administration"},
	{"care", "Care services"},
	{"catering", "Catering and hospitality"},
	{"construction", "Construction and the built environment"},
	{"creative", "Creative and design"},
	{"digital", "Digital and technology"},
	{"education", "Education and early years"},
	{"engineering", "Engineering and manufacturing"},
	{"hair_beauty", "Hair and beauty"},
	{"health", "Health and science"},
	{"legal_finance", "Legal, finance and accounting"},
	{"logistics", "Transport and logistics"},
	{"protective", "Protective services"},
	{"retail", "Sales, marketing and retail"},
	{"public", "Public services and government"},
}
