package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.GitSource;
import dev.pyrelease.api.v1alpha1.ImageSpec;
import dev.pyrelease.api.v1alpha1.IndexSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.api.v1alpha1.PythonSpec;
import dev.pyrelease.api.v1alpha1.RequirementsSpec;
import dev.pyrelease.api.v1alpha1.RunSpec;
import dev.pyrelease.api.v1alpha1.SecretRef;
import dev.pyrelease.api.v1alpha1.SourceSpec;
import java.util.List;

/** A release for builder tests: every optional part set, secrets included. */
public final class ReleaseFixture {
  private ReleaseFixture() {}

  public static PythonRelease shop() {
    PythonRelease r = new PythonRelease();
    r.getMetadata().setNamespace("web");
    r.getMetadata().setName("shop");
    r.getMetadata().setUid("uid-1");
    PythonReleaseSpec s = new PythonReleaseSpec();
    SourceSpec src = new SourceSpec();
    GitSource git = new GitSource();
    git.setUrl("https://git.internal/shop.git");
    git.setRef("v1.4.2");
    git.setSecretRef(new SecretRef("shop-git"));
    src.setGit(git);
    s.setSource(src);
    RequirementsSpec req = new RequirementsSpec();
    req.setInline("django==5.2.1\n");
    s.setRequirements(req);
    IndexSpec index = new IndexSpec();
    index.setUrl("https://pyrepo.internal/simple/");
    index.setSecretRef(new SecretRef("pyrepo-auth"));
    s.setIndex(index);
    PythonSpec py = new PythonSpec();
    py.setVersion("3.11");
    s.setPython(py);
    ImageSpec image = new ImageSpec();
    image.setRepository("registry.internal/web/shop");
    image.setPushSecretRef(new SecretRef("registry-push"));
    s.setImage(image);
    RunSpec run = new RunSpec();
    run.setCommand(List.of("gunicorn", "shop.wsgi", "-b", "0.0.0.0:8000"));
    run.setReplicas(3);
    s.setRun(run);
    r.setSpec(s);
    return r;
  }
}
