import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cppSupport } from '../../../src/core/wire/languages/cpp';
import type { WireMap, WireRecord } from '../../../src/core/wire/model';
import { scanTree } from '../../../src/core/wire/scan';
import { repoRoot } from '../helpers';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'wire', name);

const of = (map: WireMap, kind: WireRecord['kind']): WireRecord[] => map.records.filter((r) => r.kind === kind);
const httpRows = (map: WireMap): unknown[][] => of(map, 'http').map((r) => [r.method, r.route, r.file, r.line, r.handler, r.handlerFile, r.handlerLine]);
const entryRows = (map: WireMap): unknown[][] => of(map, 'entry').map((r) => [r.detail, r.framework, r.file, r.line]);
const errorRows = (map: WireMap): unknown[][] => of(map, 'error').map((r) => [r.detail, r.file, r.line, r.function]);

describe('wire: C++', function () {
  this.timeout(20000);

  describe('gRPC + cpp-httplib (cpp-grpc)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('cpp-grpc'));
    });

    it('links Service and CallbackService classes to the .proto RPCs, at the out-of-class definition when there is one', () => {
      const rows = of(map, 'grpc').map((r) => [r.method, r.route, r.file, r.line, r.handler, r.handlerFile, r.handlerLine, r.handlerEndLine]);
      assert.deepEqual(rows, [
        // declared in the proto, implemented nowhere
        ['GRPC', '/inventory.v1.InventoryService/ReleaseItem', 'protos/inventory/v1/inventory.proto', 9, undefined, undefined, undefined, undefined],
        // declared in the header, defined in the .cc
        ['GRPC', '/inventory.v1.InventoryService/GetItem', 'src/inventory_service.h', 14, 'InventoryServiceImpl.GetItem', 'src/inventory_service.cc', 11, 23],
        ['GRPC', '/inventory.v1.InventoryService/ListItems', 'src/inventory_service.h', 15, 'InventoryServiceImpl.ListItems', 'src/inventory_service.cc', 25, 35],
        ['GRPC', '/inventory.v1.InventoryService/ReserveItem', 'src/inventory_service.h', 17, 'InventoryServiceImpl.ReserveItem', 'src/inventory_service.cc', 37, 50],
        // callback API, defined in the class
        ['GRPC', '/inventory.v1.PricingService/GetPrice', 'src/pricing_service.cc', 10, 'PricingServiceImpl.GetPrice', 'src/pricing_service.cc', 10, 23],
      ]);
      assert.ok(of(map, 'grpc').every((r) => r.framework === 'grpc'));
    });

    it('finds the httplib admin routes registered on a server passed to a function, and the shadowed one', () => {
      assert.deepEqual(httpRows(map), [
        ['GET', '/healthz', 'src/admin_http.cc', 8, 'Healthz', 'src/admin_http.cc', 5],
        ['GET', '/admin/items/{param}', 'src/admin_http.cc', 9, '<anonymous>', 'src/admin_http.cc', 9],
        ['POST', '/admin/items/{sku}/restock', 'src/admin_http.cc', 17, '<anonymous>', 'src/admin_http.cc', 17],
        ['GET', '/healthz', 'src/main.cc', 24, '<anonymous>', 'src/main.cc', 24],
      ]);
      assert.deepEqual(of(map, 'http').map((r) => r.shadowed === true), [false, false, false, true]);
      assert.equal(of(map, 'http')[1]?.routeAsWritten, '/admin/items/(\\w+)');
    });

    it('finds int main, ServerBuilder registration and listening, and the httplib listener', () => {
      assert.deepEqual(entryRows(map), [
        ['main', 'cpp', 'src/main.cc', 15],
        ['listen', 'cpp-httplib', 'src/main.cc', 25],
        ['listen', 'grpc', 'src/main.cc', 28],
        ['bootstrap', 'grpc', 'src/main.cc', 29],
        ['bootstrap', 'grpc', 'src/main.cc', 30],
        ['listen', 'grpc', 'src/main.cc', 36],
      ]);
    });

    it('finds non-OK statuses, throw, catch (handled and swallowed), error logs and 4xx/5xx responses', () => {
      assert.deepEqual(errorRows(map), [
        ['http-error', 'src/admin_http.cc', 12, 'RegisterAdminRoutes'],
        ['log-error', 'src/admin_http.cc', 18, 'RegisterAdminRoutes'],
        ['http-error', 'src/admin_http.cc', 19, 'RegisterAdminRoutes'],
        ['return-error', 'src/inventory_service.cc', 13, 'GetItem'],
        ['return-error', 'src/inventory_service.cc', 17, 'GetItem'],
        ['return-error', 'src/inventory_service.cc', 29, 'ListItems'],
        ['return-error', 'src/inventory_service.cc', 42, 'ReserveItem'],
        ['catch', 'src/inventory_service.cc', 44, 'ReserveItem'],
        ['log-error', 'src/inventory_service.cc', 45, 'ReserveItem'],
        ['return-error', 'src/inventory_service.cc', 46, 'ReserveItem'],
        ['log-error', 'src/main.cc', 33, 'main'],
        ['swallow', 'src/pricing_service.cc', 16, 'GetPrice'],
        ['return-error', 'src/pricing_service.cc', 20, 'GetPrice'],
        ['throw', 'src/pricing_service.cc', 27, 'LookupCents'],
      ]);
      const text = (file: string, line: number): string | undefined => of(map, 'error').find((r) => r.file === file && r.line === line)?.text;
      assert.equal(text('src/inventory_service.cc', 13), 'return Status(StatusCode::INVALID_ARGUMENT, "sku is required");');
      assert.equal(text('src/inventory_service.cc', 29), 'return Status::CANCELLED;');
      // `return Status::OK;` is not an error
      assert.ok(!of(map, 'error').some((r) => r.text?.includes('Status::OK')));
    });

    it('reads no plain util file and reports nothing it did not understand', () => {
      assert.ok(!map.records.some((r) => r.file.startsWith('src/inventory_store')));
      assert.deepEqual(map.problems, []);
    });
  });

  describe('Crow (cpp-crow)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('cpp-crow'));
    });

    it('joins blueprint prefixes through a function the blueprint is passed to', () => {
      assert.deepEqual(httpRows(map), [
        ['GET', '/', 'src/main.cpp', 7, '<anonymous>', 'src/main.cpp', 7],
        ['GET', '/api/v1/notes', 'src/note_routes.cpp', 17, 'ListNotes', 'src/note_routes.cpp', 9],
        ['POST', '/api/v1/notes', 'src/note_routes.cpp', 19, '<anonymous>', 'src/note_routes.cpp', 19],
        ['GET', '/api/v1/notes/{int}', 'src/note_routes.cpp', 26, '<anonymous>', 'src/note_routes.cpp', 27],
      ]);
      assert.ok(of(map, 'http').every((r) => r.framework === 'crow'));
    });

    it('finds main, app.port().run() and crow::response errors', () => {
      assert.deepEqual(entryRows(map), [
        ['main', 'cpp', 'src/main.cpp', 4],
        ['listen', 'crow', 'src/main.cpp', 13],
      ]);
      assert.deepEqual(errorRows(map), [
        ['http-error', 'src/note_routes.cpp', 21, 'RegisterNoteRoutes'],
        ['log-error', 'src/note_routes.cpp', 30, 'RegisterNoteRoutes'],
        ['http-error', 'src/note_routes.cpp', 31, 'RegisterNoteRoutes'],
      ]);
    });
  });

  describe('interesting()', () => {
    it('keeps service, handler and main files and skips plain headers', () => {
      assert.ok(cppSupport.interesting('Status Impl::GetItem(ServerContext* ctx, const Req* r, Item* out) {}', 'src/impl.cc'));
      assert.ok(cppSupport.interesting('int main(int argc, char** argv) { return 0; }', 'src/main.cpp'));
      assert.ok(!cppSupport.interesting(fs.readFileSync(path.join(fixture('cpp-grpc'), 'src', 'inventory_store.h'), 'utf8'), 'src/inventory_store.h'));
    });
  });
});
