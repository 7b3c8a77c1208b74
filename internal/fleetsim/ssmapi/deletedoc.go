package ssmapi

import "github.com/ecswin/ecswin/internal/fleetsim/wire"

// DeleteDocument removes a document and all its versions, as SSM does
// (ecswin never calls it; tests use it to replace a document behind
// ecswin's back, as someone with ssm:DeleteDocument could).

type deleteDocumentInput struct {
	Name string `json:"Name"`
}

func (a *API) deleteDocument(in *deleteDocumentInput) (any, error) {
	d, err := a.findDocument(in.Name)
	if err != nil {
		return nil, err
	}
	if d.owner != a.Fleet.AccountID {
		return nil, wire.ClientErr("InvalidDocumentOperation", "Document %s is owned by %s; only its owner can delete it.", d.name, d.owner)
	}
	delete(a.docs, d.name)
	return struct{}{}, nil
}
