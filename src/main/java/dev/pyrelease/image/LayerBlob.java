package dev.pyrelease.image;

/** A layer blob as a manifest lists it: digest ({@code sha256:...}) and compressed size. */
record LayerBlob(String digest, long size) {}
