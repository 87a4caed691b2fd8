package emails

import (
	"testing"

	"github.com/encounters/encounters/app/mongo/mongotest"
)

func TestMain(m *testing.M) { mongotest.Main(m) }
