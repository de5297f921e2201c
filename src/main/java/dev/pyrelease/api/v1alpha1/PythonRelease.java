package dev.pyrelease.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Python application release: a git ref plus pinned requirements, built into an immutable image
 * and rolled out blue/green with prior revisions kept for instant rollback.
 */
@Group(PythonRelease.GROUP)
@Version(PythonRelease.VERSION)
@Kind("PythonRelease")
@Plural("pythonreleases")
@Singular("pythonrelease")
@ShortNames("pyrel")
// kubectl get prints the columns in this order (the build's PrinterColumnOrder step keeps it; the
// generator would sort them by name); BASE only with -o wide
@AdditionalPrinterColumn(
    name = "REVISION",
    jsonPath = ".status.currentRevision",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "PHASE",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "IMAGE",
    jsonPath = ".status.currentImage",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "BASE",
    jsonPath = ".status.revisions[?(@.state==\"Active\")].baseImage",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "The base image the serving revision was built on, pinned to its digest.")
public class PythonRelease extends CustomResource<PythonReleaseSpec, PythonReleaseStatus>
    implements Namespaced {
  public static final String GROUP = "pyrelease.dev";
  public static final String VERSION = "v1alpha1";
  public static final String CRD_NAME = "pythonreleases." + GROUP;
}
