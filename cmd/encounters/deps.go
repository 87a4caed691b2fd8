package main

import (
	_ "github.com/FerretDB/FerretDB/ferretdb"
	_ "github.com/blevesearch/bleve/v2"
	_ "github.com/gofiber/fiber/v2"
	_ "github.com/meilisearch/meilisearch-go"
	_ "github.com/wneessen/go-mail"
	_ "go.mongodb.org/mongo-driver/mongo"
	_ "golang.org/x/crypto/argon2"
	_ "github.com/go-playground/validator/v10"
)

func main() {}
