package proxylab

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every scenario is well formed, without any server: a failure has a code
// and a step, and names are unique per product (the suites look
// expectations up by name).
func TestScenariosAreWellFormed(t *testing.T) {
	for _, p := range Products {
		names := map[string]bool{}
		for _, s := range p.Scenarios {
			assert.False(t, names[s.Name], "%s: %q twice", p.Name, s.Name)
			names[s.Name] = true
			assert.Equal(t, s.Code == "", s.Step == "", "%s/%s: a code and a step, or neither", p.Name, s.Name)
			assert.Contains(t, []string{"", StepPreflight, StepRequest}, s.Step, "%s/%s", p.Name, s.Name)
			assert.True(t, strings.HasPrefix(s.Path, "/"), "%s/%s: a path", p.Name, s.Name)
		}
		assert.NotEmpty(t, p.Scenarios, p.Name)
	}
}

func TestScenarioArgs(t *testing.T) {
	for _, tt := range []struct {
		s    Scenario
		want []string
	}{
		{Scenario{}, nil},
		{Scenario{Method: "PUT", Header: "X-Api-Key: k"}, []string{"-method", "PUT", "-H", "X-Api-Key: k"}},
		{Scenario{Credentials: true, Body: 64}, []string{"-credentials", "-body-size", "64"}},
	} {
		assert.Equal(t, tt.want, tt.s.Args())
	}
}
