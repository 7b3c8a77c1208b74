package policyfile

import (
	"fmt"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
)

// unknownFields finds the fields the CRD's schema does not know, usually
// a typo. The API server drops them with a warning; a policy file read
// by ecswinctl gets no second look, so here they are errors.
func unknownFields(obj map[string]any, s *structuralschema.Structural) []string {
	paths := pruning.PruneWithOptions(obj, s, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		out = append(out, fmt.Sprintf("%s: unknown field: check its spelling against config/samples (field names are case-sensitive)", p))
	}
	return out
}
