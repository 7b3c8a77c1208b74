package ssmapi

import (
	"maps"
	"regexp"
	"slices"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Document tags: CreateDocument's Tags, AddTagsToResource and
// ListTagsForResource for ResourceType Document (the only resource type
// the simulator tags), with SSM's limits and error codes.

// Tag limits and error codes.
const (
	maxTagsPerResource       = 50
	CodeInvalidResourceType  = "InvalidResourceType"
	CodeInvalidResourceID    = "InvalidResourceId"
	CodeTooManyTagsError     = "TooManyTagsError"
	resourceTypeDocument     = "Document"
	tagCharacters            = `^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`
	maxTagKey, maxTagValue   = 128, 256
	resourceTypeConstraintOK = "Member must satisfy enum value set: [Association, Automation, Document, MaintenanceWindow, ManagedInstance, OpsItem, OpsMetadata, Parameter, PatchBaseline]"
)

var tagPattern = regexp.MustCompile(tagCharacters)

type tagJSON struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// documentTags is CreateDocument's Tags member.
type documentTags struct {
	Tags []tagJSON `json:"Tags"`
}

type addTagsInput struct {
	ResourceType string    `json:"ResourceType"`
	ResourceID   string    `json:"ResourceId"`
	Tags         []tagJSON `json:"Tags"`
}

type listTagsInput struct {
	ResourceType string `json:"ResourceType"`
	ResourceID   string `json:"ResourceId"`
}

type listTagsOutput struct {
	TagList []tagJSON `json:"TagList"`
}

// checkTags validates tags as SSM does and returns them as a map.
func checkTags(tags []tagJSON) (map[string]string, error) {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		switch {
		case t.Key == "" || len(t.Key) > maxTagKey || !tagPattern.MatchString(t.Key):
			return nil, validation("tags.member.key", "Member must satisfy regular expression pattern: "+tagCharacters+" and have length between 1 and 128", t.Key)
		case len(t.Value) > maxTagValue || !tagPattern.MatchString(t.Value):
			return nil, validation("tags.member.value", "Member must satisfy regular expression pattern: "+tagCharacters+" and have length at most 256", t.Value)
		}
		out[t.Key] = t.Value
	}
	if len(out) > maxTagsPerResource {
		return nil, wire.ClientErr(CodeTooManyTagsError, "The Targets parameter includes too many tags. Remove one or more tags and try the command again.")
	}
	return out, nil
}

// taggedDocument finds the document a tag call names.
func (a *API) taggedDocument(resourceType, id string) (*document, error) {
	switch resourceType {
	case resourceTypeDocument:
	case "Association", "Automation", "MaintenanceWindow", "ManagedInstance", "OpsItem", "OpsMetadata", "Parameter", "PatchBaseline":
		return nil, wire.ClientErr(CodeInvalidResourceType, "The simulator tags documents only, not %s.", resourceType)
	default:
		return nil, validation("resourceType", resourceTypeConstraintOK, resourceType)
	}
	d := a.docs[id]
	if d == nil || d.owner != a.Fleet.AccountID {
		return nil, wire.ClientErr(CodeInvalidResourceID, "The resource ID %q is not valid. Verify the ID and try again.", id)
	}
	return d, nil
}

func (a *API) addTagsToResource(in *addTagsInput) (any, error) {
	d, err := a.taggedDocument(in.ResourceType, in.ResourceID)
	if err != nil {
		return nil, err
	}
	add, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	merged := maps.Clone(d.tags)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, add)
	if len(merged) > maxTagsPerResource {
		return nil, wire.ClientErr(CodeTooManyTagsError, "The resource %s would have more than %d tags.", in.ResourceID, maxTagsPerResource)
	}
	d.tags = merged
	return struct{}{}, nil
}

func (a *API) listTagsForResource(in *listTagsInput) (any, error) {
	d, err := a.taggedDocument(in.ResourceType, in.ResourceID)
	if err != nil {
		return nil, err
	}
	out := listTagsOutput{TagList: []tagJSON{}}
	for _, k := range slices.Sorted(maps.Keys(d.tags)) {
		out.TagList = append(out.TagList, tagJSON{Key: k, Value: d.tags[k]})
	}
	return out, nil
}
