package scenario

import (
	"fmt"
	"os"

	"sigs.k8s.io/yaml"
)

// Defaults for fields a scenario may leave out.
const (
	DefaultRegion    = "us-east-1"
	DefaultAccountID = "123456789012"
)

// LoadFile reads and validates a YAML scenario file.
func LoadFile(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading scenario: %w", err)
	}
	return Parse(data)
}

// Parse reads and validates a YAML (or JSON) scenario; unknown fields
// are errors so that a typo does not silently change a fleet.
func Parse(data []byte) (*Scenario, error) {
	var s Scenario
	if err := yaml.UnmarshalStrict(data, &s); err != nil {
		return nil, fmt.Errorf("parsing scenario: %w", err)
	}
	s.applyDefaults()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

func (s *Scenario) applyDefaults() {
	if s.Region == "" {
		s.Region = DefaultRegion
	}
	if s.AccountID == "" {
		s.AccountID = DefaultAccountID
	}
	for i := range s.Events {
		if s.Events[i].Count == 0 {
			s.Events[i].Count = 1
		}
	}
}
