/**
 * Tagging strategy: the provider's default_tags carry the organisation's tags to every taggable
 * resource; each resource adds only its own `Name` (see naming.ts). The policy module checks that
 * nothing taggable escapes.
 */
import { TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';
import { Config } from './config';

/** The provider default_tags of one stack (a layer, or the bootstrap): the configured tags plus the stack's name. */
export function layerTags(config: Config, layer: string): Record<string, string> {
  return { ...config.tags, Layer: layer };
}

/**
 * Resource types under `scope` whose provider binding has a `tags` argument, i.e. the ones
 * default_tags reach and a `Name` tag can be set on. Read off the bindings, never hand-listed.
 */
export function taggableResourceTypes(scope: IConstruct): Set<string> {
  const types = new Set<string>();
  for (const node of scope.node.findAll()) {
    if (node instanceof TerraformResource && 'tagsInput' in node) types.add(node.terraformResourceType);
  }
  return types;
}
