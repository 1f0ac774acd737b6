/** Pulumi-engine helpers the cloud renderers share. Imported only by the lazily loaded cloud modules. */
import * as pulumi from '@pulumi/pulumi';
import type { PulumiCloudResult } from './pulumi-types.js';

/** Collects what a renderer registers, so the program can await it and synth can report it. */
export class Registry {
  readonly result: PulumiCloudResult = { resources: [], outputs: {} };
  add<T extends pulumi.Resource>(resource: T): T {
    this.result.resources.push(resource);
    return resource;
  }
  output(name: string, value: pulumi.Input<unknown>, secret = false): void {
    this.result.outputs[name] = secret ? pulumi.secret(value) : pulumi.output(value);
  }
}
